// #/analytics/polls: the analysts' polls. A form for a new poll (question and options in ru/kk/en), the list of
// polls with open/close/edit, and one poll's results: raw and district-weighted shares with 95% intervals, the
// effective sample size and the caveat, and the CSV export (aggregates only, small cells hidden by the server).
import { api, errorText, session } from './api.js';
import { clear, h, say } from './dom.js';
import { lang, localName, t } from './i18n.js';

const LANGS = ['ru', 'kk', 'en'];
const MANAGERS = ['admin', 'supervisor', 'operator'];
let container = null;
let selected = null;
let editing = null;

export async function render(el) {
  container = el;
  await draw();
}

export function relocalize() {
  if (container) draw();
}

export function hide() {
  container = null;
}

const canManage = () => (session.user?.roles ?? []).some((r) => MANAGERS.includes(r));

async function draw() {
  const el = clear(container);
  el.append(h('h2', { i18n: 'apolls.title' }));
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  el.append(status);
  if (canManage()) el.append(pollForm(status));
  else el.append(h('p', { class: 'muted', i18n: 'apolls.readonly' }));
  try {
    const { polls } = await api('/polls');
    el.append(h('h3', { i18n: 'apolls.list' }));
    if (!polls.length) el.append(h('p', { class: 'muted', i18n: 'apolls.empty' }));
    else el.append(h('ul', { class: 'poll-list' }, ...polls.map((p) => pollItem(p, status))));
    if (selected) el.append(await resultsOf(selected));
  } catch (err) {
    say(status, errorText(err), 'error');
  }
}

function pollForm(status) {
  const p = editing;
  const n = p ? p.options.length : 2;
  const text = (name, l, value) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `ap-${name}-${l}`, i18n: `apolls.lang.${l}` }),
      h('input', { id: `ap-${name}-${l}`, name: `${name}-${l}`, maxlength: 300, required: true, value: value ?? '' }),
    );
  const optionSet = (i) =>
    h(
      'fieldset',
      { class: 'field', dataset: { option: i } },
      h('legend', {}, t('apolls.option', { n: i + 1 })),
      h('div', { class: 'row' }, ...LANGS.map((l) => text(`o${i}`, l, p?.options[i]?.label[l]))),
    );
  const options = h('div', {}, ...Array.from({ length: n }, (_, i) => optionSet(i)));
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'aria-labelledby': 'ap-form-h' },
    h('h3', { id: 'ap-form-h', i18n: p ? 'apolls.edit' : 'apolls.new' }),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', { i18n: 'apolls.question' }),
      h('div', { class: 'row' }, ...LANGS.map((l) => text('q', l, p?.question[l]))),
    ),
    options,
    h(
      'p',
      { class: 'button-row' },
      h('button', {
        type: 'button',
        class: 'secondary',
        i18n: 'apolls.add',
        on: { click: () => options.children.length < 10 && options.append(optionSet(options.children.length)) },
      }),
      h('button', {
        type: 'button',
        class: 'secondary',
        i18n: 'apolls.remove',
        on: { click: () => options.children.length > 2 && options.lastElementChild.remove() },
      }),
    ),
    h(
      'div',
      { class: 'field check' },
      h('input', { id: 'ap-district', type: 'checkbox', name: 'ask_district', checked: p ? p.ask_district : true }),
      h('label', { for: 'ap-district', i18n: 'apolls.ask_district' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'ap-closes', i18n: 'apolls.closes_at' }),
      h('input', { id: 'ap-closes', name: 'closes_at', type: 'datetime-local' }),
    ),
    h('button', { type: 'submit', class: 'primary', i18n: 'apolls.save' }),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = (name) => form.elements.namedItem(name)?.value.trim() ?? '';
    const localized = (name) => Object.fromEntries(LANGS.map((l) => [l, v(`${name}-${l}`)]));
    const closes = v('closes_at');
    const body = {
      question: localized('q'),
      options: [...options.children].map((_, i) => localized(`o${i}`)),
      ask_district: form.elements.namedItem('ask_district').checked,
      // The input is the analyst's wall clock; the browser turns it into an instant.
      closes_at: closes ? new Date(closes).toISOString() : null,
    };
    try {
      const saved = editing ? await api(`/polls/${editing.id}`, { method: 'PUT', body }) : await api('/polls', { body });
      editing = null;
      selected = saved.id;
      await draw();
      say(container.querySelector('.form-status'), t('apolls.saved'), 'success');
    } catch (err) {
      say(status, errorText(err), 'error');
    }
  });
  return form;
}

function pollItem(p, status) {
  const act = (action) => async () => {
    try {
      await api(`/polls/${p.id}/${action}`, { method: 'POST' });
      selected = p.id;
      await draw();
    } catch (err) {
      say(status, errorText(err), 'error');
    }
  };
  const manage = canManage();
  return h(
    'li',
    { class: 'card', dataset: { poll: p.id } },
    h('strong', {}, localName(p.question)),
    ' ',
    h('span', { class: `badge phase-${p.phase}` }, t(`apolls.phase.${p.phase}`)),
    ' ',
    h('span', { class: 'muted' }, t('apolls.answers', { n: p.answers })),
    h(
      'p',
      { class: 'button-row' },
      h('button', { type: 'button', class: 'secondary', i18n: 'apolls.results', on: { click: () => choose(p.id, null) } }),
      manage && p.status === 'draft'
        ? h('button', { type: 'button', class: 'secondary', i18n: 'apolls.edit', on: { click: () => choose(selected, p) } })
        : null,
      manage && p.status === 'draft' ? h('button', { type: 'button', class: 'primary', i18n: 'apolls.open', on: { click: act('open') } }) : null,
      manage && p.status === 'open' ? h('button', { type: 'button', class: 'primary', i18n: 'apolls.close', on: { click: act('close') } }) : null,
    ),
  );
}

/** Shows a poll's results (id) and/or puts a draft in the form (poll). */
function choose(id, poll) {
  selected = id;
  editing = poll;
  return draw();
}

async function resultsOf(id) {
  const r = await api(`/polls/${id}/results`);
  const pct = (x) => `${Math.round(x * 1000) / 10}%`;
  const interval = (x) => `${pct(x.share)} (${pct(x.ci[0])}–${pct(x.ci[1])})`;
  const rows = r.poll.options.map((o) => {
    const a = r.answers[o.id];
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, localName(o.label)),
      h('td', {}, String(a.count)),
      h('td', {}, interval(a.raw)),
      h('td', {}, interval(a.weighted)),
    );
  });
  return h(
    'section',
    { class: 'card poll-results', 'aria-labelledby': 'ap-res-h' },
    h('h3', { id: 'ap-res-h' }, `${t('apolls.results')}: ${localName(r.poll.question)}`),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['option', 'count', 'raw', 'weighted'].map((c) => h('th', { scope: 'col', i18n: `apolls.col.${c}` })))),
      h('tbody', {}, ...rows),
    ),
    h('p', {}, t('apolls.neff', { n: r.effective_n })),
    h('p', { class: 'hint' }, r.caveat[lang()] ?? r.caveat.ru),
    h('p', {}, h('button', { type: 'button', class: 'secondary', i18n: 'apolls.export', on: { click: () => download(id) } })),
  );
}

/** The export needs the bearer token, so it is fetched and handed to the browser as a file. */
async function download(id) {
  const res = await fetch(`/api/v1/polls/${id}/export.csv`, { headers: { authorization: `Bearer ${session.token}` } });
  if (!res.ok) return;
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: `poll-${id}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
