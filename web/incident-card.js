// One incident's card for staff: its details, its reports (each can be taken out), adding tickets or incidents to it,
// the actions the reader may take on it as a whole, and its history. incidents.js (the list and the routes) is the
// host: it loads the incident, keeps the chosen action and the notice, and renders the card again after a change.
import { ApiError, categories, errorText, names, organisations } from './api.js';
import { clearProblems, FormProblem, showProblem } from './appeal-form.js';
import { facts, h, statusBadge } from './dom.js';
import { formatDateTime, label, localName, t } from './i18n.js';
import { section } from './ticket-sections.js';

const NEEDS_REASON = new Set(['resolve', 'reopen']);
const NUMBER = /^[A-Z]{2,5}-\d{4}-I?\d{5,}$/;

/**
 * The card's parts. `host`: { load(path, init), reload(), notify(text, kind), pending(), choose(action) }.
 */
export function incidentCard(i, host) {
  return h(
    'div',
    { class: 'ticket-grid' },
    h('div', { class: 'col' }, section('i-details', 'ticket.details', details(i)), children(i, host), i.may.merge ? mergeForm(i, host) : null),
    h('div', { class: 'col' }, actions(i, host), history(i)),
  );
}

/** The operator's title as written; otherwise category and address, named in the page's language. */
export const titleOf = (i) => (i.titled ? i.title : [names.category(i.category), i.address].filter(Boolean).join(' — ') || i.number);

export /** Ticket and incident numbers typed by the operator: split on spaces and commas, checked before sending. */
function numbers(text) {
  const all = String(text)
    .toUpperCase()
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (!all.length || all.some((n) => !NUMBER.test(n))) throw new FormProblem('numbers', t('incident.bad_numbers'));
  return { tickets: all.filter((n) => !/-I\d/.test(n)), incidents: all.filter((n) => /-I\d/.test(n)) };
}

export function field(id, key, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id, i18n: key }), control, hint ? h('p', { class: 'hint', i18n: hint }) : null);
}

/** Runs a form's request; a conflict (someone changed it meanwhile) shows on the card, which is loaded afresh. */
export async function submitForm(form, status, host, run) {
  clearProblems(form, status);
  for (const b of form.querySelectorAll('button')) b.disabled = true;
  try {
    await run();
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'invalid_transition') && host.reload) {
      host.notify(errorText(err), 'error');
      return host.reload();
    }
    showProblem(form, status, err);
  } finally {
    for (const b of form.querySelectorAll('button')) b.disabled = false;
  }
}

function details(i) {
  return facts([
    ['col.category', names.category(i.category) ?? t('unknown')],
    ['col.organisation', names.organisation(i.organisation) ?? t('unknown')],
    ['col.district', names.district(i.district) ?? t('unknown')],
    ['col.address', i.address ?? ''],
    ['ticket.point', i.point ? `${i.point.lat}, ${i.point.lon}` : null],
    ['incident.opened_by', label('incident.opened_by', i.opened_by)],
    ['col.created', formatDateTime(i.created_at)],
    [
      'col.deadline',
      i.deadline ? h('span', {}, formatDateTime(i.deadline), i.overdue ? h('span', { class: 'badge overdue', i18n: 'list.overdue' }) : null) : null,
    ],
    ['incident.dissolved', i.dissolved_at ? formatDateTime(i.dissolved_at) : null],
    ['incident.merged_into', i.merged_into ? h('a', { href: `#/staff/incident/${encodeURIComponent(i.merged_into)}` }, i.merged_into) : null],
  ]);
}

function children(i, host) {
  const head = h(
    'tr',
    {},
    ['col.number', 'col.status', 'col.channel', 'col.address', i.may.split ? 'ticket.actions' : null]
      .filter(Boolean)
      .map((k) => h('th', { scope: 'col', i18n: k })),
  );
  const rows = i.children.map((tk) =>
    h(
      'tr',
      { 'data-child': tk.number },
      h('th', { scope: 'row' }, h('a', { href: `#/staff/ticket/${encodeURIComponent(tk.number)}` }, tk.number)),
      h('td', {}, statusBadge(tk.status)),
      h('td', {}, label('channel', tk.channel)),
      h('td', {}, tk.address ?? t('none')),
      i.may.split
        ? h(
            'td',
            {},
            h(
              'button',
              { type: 'button', class: 'secondary small', 'data-split': tk.number, on: { click: () => split(i, tk.number, host) } },
              t('incident.split'),
            ),
          )
        : null,
    ),
  );
  const list = rows.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'tickets' }, h('thead', {}, head), h('tbody', {}, rows)))
    : h('p', { class: 'muted', i18n: 'incident.no_reports' });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'i-children' },
    h('h2', { id: 'i-children' }, t('incident.reports.n', { n: i.children.length })),
    list,
  );
}

async function split(i, ticket, host) {
  if (!window.confirm(t('incident.split.confirm', { ticket }))) return;
  try {
    await host.load(`/incidents/${encodeURIComponent(i.number)}/tickets/${encodeURIComponent(ticket)}`, { method: 'DELETE' });
    host.notify(t('incident.split.done', { ticket }), 'ok');
  } catch (err) {
    host.notify(errorText(err), 'error');
  }
  await host.reload();
}

function mergeForm(i, host) {
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'card', 'data-merge': '', novalidate: true },
    h('h2', { i18n: 'incident.merge' }),
    field(
      'im-numbers',
      'incident.merge.numbers',
      h('input', { id: 'im-numbers', name: 'numbers', autocomplete: 'off', spellcheck: 'false' }),
      'incident.numbers.hint',
    ),
    status,
    h('button', { type: 'submit', class: 'secondary', i18n: 'incident.merge.submit' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitForm(form, status, host, async () => {
      await host.load(`/incidents/${encodeURIComponent(i.number)}/tickets`, { body: numbers(form.elements.namedItem('numbers').value) });
      host.notify(t('incident.merge.done'), 'ok');
      await host.reload();
    });
  });
  return form;
}

function actions(i, host) {
  const buttons = i.actions.map((a) =>
    h(
      'button',
      { type: 'button', class: 'secondary', 'data-action': a, 'aria-pressed': String(host.pending() === a), on: { click: () => host.choose(a) } },
      t(`action.${a}`),
    ),
  );
  return section(
    'i-actions',
    'ticket.actions',
    h('p', { class: 'hint', i18n: 'incident.actions.hint' }),
    buttons.length ? h('div', { class: 'button-row' }, buttons) : h('p', { class: 'muted', i18n: 'ticket.no_actions' }),
    host.pending() ? actionForm(i, host.pending(), host) : null,
  );
}

function select(id, key, options, selected) {
  return field(
    id,
    key,
    h(
      'select',
      { id, name: id.replace('ia-', '') },
      options.map((o) => h('option', { value: o.id, ...(o.id === selected ? { selected: true } : {}) }, o.name)),
    ),
  );
}

function actionForm(i, action, host) {
  const byName = (list) => list.sort((a, b) => a.name.localeCompare(b.name));
  const fields = [];
  if (action === 'assign') {
    fields.push(
      select(
        'ia-organisation',
        'action.organisation',
        byName(organisations().map((o) => ({ id: o.id, name: localName(o.names) }))),
        i.organisation?.id,
      ),
      select('ia-category', 'action.category', byName(categories().map((c) => ({ id: c.code, name: localName(c.names) }))), i.category?.code),
    );
  }
  if (NEEDS_REASON.has(action)) {
    const key = action === 'resolve' ? 'incident.note' : 'action.reason';
    fields.push(field('ia-reason', key, h('textarea', { id: 'ia-reason', name: 'reason', rows: 3, maxlength: 2000, required: true })));
  }
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'action-form', 'data-action-form': action, novalidate: true },
    h('h3', {}, t(`action.${action}`)),
    ...fields,
    status,
    h(
      'div',
      { class: 'button-row' },
      h('button', { type: 'submit', class: 'primary', i18n: 'action.confirm' }),
      h('button', { type: 'button', class: 'secondary', i18n: 'action.cancel', on: { click: () => host.choose(null) } }),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitForm(form, status, host, async () => {
      const body = { action, version: i.version };
      const get = (name) => form.elements.namedItem(name)?.value;
      if (action === 'assign') Object.assign(body, { organisation: get('organisation'), category: get('category') || undefined });
      if (NEEDS_REASON.has(action)) {
        body.reason = get('reason').trim();
        if (!body.reason) throw new FormProblem('reason', t('error.required'));
      }
      const r = await host.load(`/incidents/${encodeURIComponent(i.number)}/actions`, { body });
      host.choose(null);
      host.notify(t('incident.action.done', { status: label('status', r.status), n: r.children.length }), 'ok');
      await host.reload();
    });
  });
  return form;
}

function history(i) {
  const list = h(
    'ol',
    { class: 'history' },
    i.history.map((e) => {
      const d = e.data ?? {};
      const actor = e.actor_type === 'user' ? (e.actor_name ?? t('actor.user', { id: e.actor_id })) : label('actor', e.actor_type);
      const tickets = d.tickets ?? (d.ticket ? [d.ticket] : d.left);
      return h(
        'li',
        {},
        h('p', { class: 'meta' }, formatDateTime(e.at), ' · ', actor),
        h('p', { class: 'history-what' }, h('strong', {}, label('history', String(e.action).replace(/^incident\./, '')))),
        d.from && d.to && d.from !== d.to ? h('p', { class: 'meta' }, `${label('status', d.from)} → ${label('status', d.to)}`) : null,
        tickets?.length ? h('p', { class: 'meta' }, tickets.join(', ')) : null,
        d.reason ? h('p', { class: 'reason' }, t('history.reason', { reason: d.reason })) : null,
      );
    }),
  );
  return section('i-hist', 'ticket.history', list);
}
