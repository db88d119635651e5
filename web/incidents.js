// Incidents for the centre's staff: the routes #/staff/incidents (the list, and making an incident of chosen tickets)
// and #/staff/incident/NUMBER (one incident's card, laid out in incident-card.js). Everything residents wrote is
// shown as text; every label comes from the lang files.
import { ApiError, api, errorText, loadReference, names, session } from './api.js';
import { $, clear, h, say, statusBadge } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { field, incidentCard, numbers, submitForm, titleOf } from './incident-card.js';

const state = { view: null, number: null, list: null, incident: null, pending: null, notice: null, onAuthLost: () => {} };
const root = () => $('#staff-incidents');
// Grouping by hand is the centre's: operators, supervisors and admins (the API checks it too).
const mayGroup = () => (session.user?.roles ?? []).some((r) => r === 'operator' || r === 'supervisor' || r === 'admin');

export function onIncidentsAuthLost(f) {
  state.onAuthLost = f;
}

async function load(path, init) {
  try {
    return await api(path, init);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) state.onAuthLost();
    throw err;
  }
}

/** #/staff/incidents */
export async function showIncidents() {
  Object.assign(state, { view: 'list', number: null, notice: null });
  clear(root()).append(h('p', { class: 'muted', i18n: 'loading' }));
  try {
    const [r] = await Promise.all([load('/incidents?limit=200'), loadReference()]);
    state.list = r.incidents;
  } catch (err) {
    state.list = null;
    state.notice = { text: errorText(err), kind: 'error' };
  }
  render();
}

/** #/staff/incident/NUMBER */
export async function showIncident(number) {
  Object.assign(state, { view: 'card', number, incident: null, pending: null, notice: null });
  clear(root()).append(h('p', { class: 'muted', i18n: 'loading' }));
  await reload();
}

/** What the card asks of the page: requests, a fresh load, the notice, the action being filled in. */
const host = {
  load: (path, init) => load(path, init),
  reload: () => reload(),
  notify(text, kind) {
    state.notice = { text, kind };
  },
  pending: () => state.pending,
  choose(action) {
    state.pending = action;
    state.notice = null;
    render();
    $('[data-action-form] select, [data-action-form] textarea, [data-action-form] button', root())?.focus();
  },
};

async function reload() {
  const number = state.number;
  try {
    const [i] = await Promise.all([load(`/incidents/${encodeURIComponent(number)}`), loadReference()]);
    if (state.number !== number) return;
    state.incident = i;
    if (state.pending && !i.actions.includes(state.pending)) state.pending = null;
  } catch (err) {
    state.incident = null;
    state.notice = { text: errorText(err), kind: 'error' };
  }
  render();
}

/** After a change of language. */
export function rerenderIncidents() {
  if (state.view && !root().hidden) render();
}

function render() {
  const el = clear(root());
  const notice = h('p', { class: 'form-status', role: 'status', 'data-notice': '', hidden: true });
  if (state.notice) say(notice, state.notice.text, state.notice.kind);
  if (state.view === 'list')
    return el.append(
      h('h1', { i18n: 'incidents.title' }),
      h('p', { class: 'lead', i18n: 'incidents.intro' }),
      notice,
      h('p', { class: 'count' }, t('list.count', { n: state.list?.length ?? 0 })),
      listTable(),
      h('p', { class: 'count' }),
      mayGroup() ? createForm() : null,
    );
  el.append(h('p', {}, h('a', { href: '#/staff/incidents', class: 'back', i18n: 'incident.back' })));
  const i = state.incident;
  if (!i) return el.append(notice);
  el.append(
    h('div', { class: 'title-row' }, h('h1', { 'data-number': '' }, t('incident.title', { number: i.number })), statusBadge(i.status)),
    h('p', { class: 'lead' }, titleOf(i)),
    notice,
    incidentCard(i, host),
  );
}

// ── The list ───────────────────────────────────────────────────────────────────────────────────────────────

function listTable() {
  const rows = state.list ?? [];
  if (!rows.length) return h('p', { class: 'muted', i18n: 'incidents.empty' });
  const cols = ['number', 'status', 'incident.problem', 'organisation', 'incident.reports', 'created'];
  const head = h(
    'tr',
    {},
    cols.map((c) => h('th', { scope: 'col', i18n: c.includes('.') ? c : `col.${c}` })),
  );
  const body = rows.map((i) =>
    h(
      'tr',
      { 'data-row': i.number },
      h('th', { scope: 'row' }, h('a', { href: `#/staff/incident/${encodeURIComponent(i.number)}`, 'data-incident-link': i.number }, i.number)),
      h('td', {}, statusBadge(i.status)),
      h('td', {}, titleOf(i), i.district ? h('span', { class: 'sub' }, names.district(i.district)) : null),
      h('td', {}, names.organisation(i.organisation) ?? t('unknown')),
      h('td', {}, String(i.tickets)),
      h('td', {}, formatDateTime(i.created_at)),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'tickets' }, h('thead', {}, head), h('tbody', {}, body)));
}

function createForm() {
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'card', 'data-create-incident': '', novalidate: true },
    h('h2', { i18n: 'incident.create' }),
    field(
      'ic-numbers',
      'incident.create.numbers',
      h('input', { id: 'ic-numbers', name: 'numbers', autocomplete: 'off', spellcheck: 'false' }),
      'incident.numbers.hint',
    ),
    field('ic-title', 'incident.create.title', h('input', { id: 'ic-title', name: 'title', maxlength: 200, autocomplete: 'off' })),
    status,
    h('button', { type: 'submit', class: 'primary', i18n: 'incident.create.submit' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitForm(form, status, { ...host, reload: null }, async () => {
      const body = numbers(form.elements.namedItem('numbers').value);
      const title = form.elements.namedItem('title').value.trim();
      const r = await load('/incidents', { body: { ...body, ...(title ? { title } : {}) } });
      location.hash = `#/staff/incident/${encodeURIComponent(r.number)}`;
    });
  });
  return form;
}
