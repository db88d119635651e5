// Two parts of the ticket card for the centre's operators: the reply to the resident (pick one of the city's
// templates, already filled in the resident's language, edit it, send it to their channel) and the one-click
// corrections of category, organisation and place, which the triage engine learns from.
import { ApiError, api, categories, errorText, idempotencyKey, organisations } from './api.js';
import { $, h, say } from './dom.js';
import { label, localName, t } from './i18n.js';
import { section } from './ticket-sections.js';

/** Ids of the fields here, so a refreshed card keeps what the operator was typing. */
export const TYPED_HERE = ['reply-template', 'reply-text', 'fix-category', 'fix-organisation', 'fix-district', 'fix-address'];

const canSpeak = (tk) => (tk.actions ?? []).includes('assign') || (tk.actions ?? []).includes('ask');

export function replySection(tk, { done, onAuthLost }) {
  if (!canSpeak(tk)) return null;
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const select = h('select', { id: 'reply-template', name: 'template' }, h('option', { value: '' }, t('console.reply.own')));
  const text = h('textarea', { id: 'reply-text', name: 'text', rows: 4, maxlength: 2000 });
  let templates = [];
  let key = idempotencyKey();
  api(`/tickets/${encodeURIComponent(tk.number)}/reply-templates`)
    .then((r) => {
      templates = r.templates;
      select.append(...templates.map((x) => h('option', { value: x.key }, label('template', x.key))));
      // A refreshed card asked for a template before the list came: choose it now.
      if (select.dataset.pending) select.value = select.dataset.pending;
    })
    .catch(() => null);
  select.addEventListener('change', () => {
    const tpl = templates.find((x) => x.key === select.value);
    if (tpl) text.value = tpl.text;
    key = idempotencyKey();
  });
  text.addEventListener('input', () => {
    key = idempotencyKey();
  });
  const form = h(
    'form',
    { class: 'reply-form', 'data-reply-form': '', novalidate: true },
    h('p', { class: 'hint' }, t('console.reply.to', { channel: label('channel', tk.channel), language: label('lang', tk.language) })),
    h('div', { class: 'field' }, h('label', { for: 'reply-template', i18n: 'console.reply.template' }), select),
    h('div', { class: 'field' }, h('label', { for: 'reply-text', i18n: 'console.reply.text' }), text),
    status,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'primary', 'data-reply-send': '', i18n: 'console.reply.send' })),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const tpl = templates.find((x) => x.key === select.value);
    const own = text.value.trim();
    if (!own) return say(status, t('error.required'), 'error');
    // An untouched template goes as the template (the server fills it); an edited one as the operator's words.
    const body = tpl && own === tpl.text.trim() ? { template: tpl.key } : { text: own, ...(tpl ? { template: tpl.key } : {}) };
    const button = $('button', form);
    button.disabled = true;
    try {
      await api(`/tickets/${encodeURIComponent(tk.number)}/reply`, { body, headers: { 'idempotency-key': key } });
      text.value = '';
      select.value = '';
      key = idempotencyKey();
      done({ text: t('console.reply.sent'), kind: 'ok' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onAuthLost();
      say(status, errorText(err), 'error');
    } finally {
      button.disabled = false;
    }
  });
  return section('t-reply', 'console.reply.title', form);
}

function options(id, items, current) {
  return h(
    'select',
    { id, name: id.slice(4) },
    h('option', { value: '' }, t('console.keep')),
    items.sort((a, b) => a[1].localeCompare(b[1])).map(([v, n]) => h('option', { value: v, ...(v === current ? { disabled: true } : {}) }, n)),
  );
}

export function correctionsSection(tk, { done, onAuthLost, districts }) {
  if (!(tk.actions ?? []).includes('assign')) return null;
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const field = (id, key, input) => h('div', { class: 'field' }, h('label', { for: id, i18n: key }), input);
  const form = h(
    'form',
    { class: 'fix-form', 'data-fix-form': '', novalidate: true },
    h('p', { class: 'hint', i18n: 'console.fix.hint' }),
    field(
      'fix-category',
      'col.category',
      options(
        'fix-category',
        categories().map((c) => [c.code, localName(c.names)]),
        tk.category?.code,
      ),
    ),
    field(
      'fix-organisation',
      'col.organisation',
      options(
        'fix-organisation',
        organisations().map((o) => [o.id, localName(o.names)]),
        tk.organisation?.id,
      ),
    ),
    field(
      'fix-district',
      'col.district',
      options(
        'fix-district',
        districts.map((d) => [d.id, localName(d.name)]),
        tk.district?.id,
      ),
    ),
    field('fix-address', 'col.address', h('input', { id: 'fix-address', name: 'address', maxlength: 300, placeholder: tk.address ?? '' })),
    status,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'primary', i18n: 'console.fix.save' })),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { version: tk.version };
    for (const name of ['category', 'organisation', 'district', 'address']) {
      const v = form.elements.namedItem(name).value.trim();
      if (v) body[name] = v;
    }
    if (Object.keys(body).length === 1) return say(status, t('console.fix.nothing'), 'error');
    const button = $('button', form);
    button.disabled = true;
    try {
      await api(`/tickets/${encodeURIComponent(tk.number)}/corrections`, { body });
      form.reset();
      done({ text: t('console.fix.saved'), kind: 'ok' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onAuthLost();
      say(status, errorText(err), 'error');
      button.disabled = false;
    }
  });
  return section('t-fix', 'console.fix.title', form);
}
