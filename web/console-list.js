// The operator console's inbox: every channel in one list with its filters (kept in the URL hash, so a view can be
// bookmarked: #/staff/list?status=new&q=…), full-text search, deadline or arrival order, paging with counts, a
// row selection the keyboard moves (console-keys.js), and live updates (live.js): a changed ticket's row changes in
// place, a new ticket appears without reloading the page. On a phone the filters fold behind one button (the search
// stays out) and each ticket's row becomes a small card (staff.css), so the queue starts on the first screen.
import { ApiError, api, categories, errorText, loadReference, names, organisations } from './api.js';
import { $, clear, h, say, statusBadge } from './dom.js';
import { formatDateTime, label, localName, t } from './i18n.js';
import { onLiveState, subscribe } from './live.js';

const FIELDS = ['q', 'status', 'attention', 'channel', 'category', 'district', 'organisation', 'urgency', 'language', 'sort'];
const OPEN = 'new,assigned,in_progress,waiting,reopened';
/** The filters that fold away on a phone: all but the search; the order of the list is not counted as a filter. */
const FOLDED = FIELDS.filter((f) => f !== 'q');
const COUNTED = FOLDED.filter((f) => f !== 'sort');
const PAGE = 50;
const state = {
  tickets: [],
  total: 0,
  counts: null,
  offset: 0,
  selected: null,
  fresh: new Set(),
  onAuthLost: () => {},
  unsubscribe: null,
  timer: null,
};

let lastList = '#/staff';
/** The hash of the list last shown, with its filters: where a ticket card's "back" leads. */
export const listHash = () => lastList;

export function onListAuthLost(f) {
  state.onAuthLost = f;
}

const section = () => $('#staff-list');
const form = () => $('#filter-form');

/** The filters in the hash (#/staff/list?…); with none, the open tickets. */
function fromHash() {
  const i = location.hash.indexOf('?');
  const p = new URLSearchParams(i >= 0 ? location.hash.slice(i + 1) : '');
  if (![...p.keys()].length) p.set('status', OPEN);
  return p;
}

function toForm(p) {
  for (const f of FIELDS) {
    const el = form().elements.namedItem(f);
    if (el) el.value = p.get(f) ?? (f === 'sort' ? 'created' : '');
  }
}

function fromForm() {
  const p = new URLSearchParams();
  for (const f of FIELDS) {
    const v = form().elements.namedItem(f)?.value.trim();
    if (v && !(f === 'sort' && v === 'created')) p.set(f, v);
  }
  if (!p.has('status')) p.set('status', ''); // "all statuses" must survive the round trip through the hash
  return p;
}

let districtList = null;
/** The city's districts [{id, name}], fetched once. */
export const districts = async () => {
  districtList ??= await api('/districts')
    .then((d) => d.districts ?? [])
    .catch(() => null);
  return districtList ?? [];
};

/** The selects of reference data (categories, districts, organisations) in the page's language. */
async function fillReference() {
  await loadReference();
  const lists = {
    categories: categories().map((c) => [c.code, localName(c.names)]),
    organisations: organisations().map((o) => [o.id, localName(o.names)]),
    districts: (await districts()).map((x) => [x.id, localName(x.name)]),
  };
  for (const el of form().querySelectorAll('select[data-ref]')) {
    const items = lists[el.dataset.ref];
    if (!items) continue;
    const value = el.value;
    const any = el.options[0];
    el.replaceChildren(any, ...items.sort((a, b) => a[1].localeCompare(b[1])).map(([v, n]) => h('option', { value: v }, n)));
    el.value = value;
  }
}

/** Loads the list for the filters in the hash (or, with `more`, the next page after what is shown). */
export async function loadList({ more = false } = {}) {
  const status = $('[data-status]', section());
  const p = fromHash();
  lastList = location.hash.includes('?') ? location.hash : `#/staff/list?${p}`;
  await fillReference();
  toForm(p);
  showActiveCount(p);
  const q = new URLSearchParams([...p].filter(([, v]) => v !== ''));
  state.offset = more ? state.tickets.length : 0;
  q.set('limit', String(PAGE));
  q.set('offset', String(state.offset));
  say(status, '');
  try {
    const r = await api(`/tickets?${q}`);
    state.tickets = more ? [...state.tickets, ...r.tickets] : r.tickets;
    Object.assign(state, { total: r.total, counts: { overdue: r.overdue, at_risk: r.at_risk } });
    if (!state.tickets.some((x) => x.number === state.selected)) state.selected = state.tickets[0]?.number ?? null;
    renderList();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return state.onAuthLost();
    say(status, errorText(err), 'error');
  }
  follow();
}

/** Applies the form's filters: into the hash (bookmarkable, no extra history entry) and the list. */
export function applyFilters() {
  state.fresh.clear();
  history.replaceState(null, '', `#/staff/list?${fromForm()}`);
  return loadList();
}

// District and channel go on a second line under the address and the number, so the table fits a laptop screen.
const COLUMNS = ['number', 'status', 'category', 'address', 'organisation', 'urgency', 'created', 'deadline'];
/** Cells that say what they are when a phone shows a row as a card without the table's head (staff.css). */
const LABELLED = new Set(['organisation', 'created', 'deadline']);

function cells(tk) {
  return {
    number: [
      h('a', { href: `#/staff/ticket/${encodeURIComponent(tk.number)}`, 'data-ticket-link': tk.number }, tk.number),
      h('span', { class: 'sub' }, label('channel', tk.channel), ' · ', label('lang', tk.language)),
    ],
    status: statusBadge(tk.status),
    category: names.category(tk.category) ?? t('unknown'),
    address: [tk.address ?? t('none'), tk.district ? h('span', { class: 'sub' }, names.district(tk.district)) : null],
    organisation: names.organisation(tk.organisation) ?? t('unknown'),
    urgency: h('span', { class: `urgency urgency-${tk.urgency}` }, label('urgency', tk.urgency)),
    created: formatDateTime(tk.created_at),
    deadline: [
      formatDateTime(tk.deadline),
      tk.overdue ? h('span', { class: 'badge overdue', i18n: 'list.overdue' }) : null,
      tk.at_risk ? h('span', { class: 'badge at-risk', i18n: 'console.attention.at_risk' }) : null,
    ],
  };
}

function row(tk) {
  const classes = [tk.overdue ? 'overdue-row' : '', state.fresh.has(tk.number) ? 'fresh' : '', tk.number === state.selected ? 'selected' : '']
    .filter(Boolean)
    .join(' ');
  const c = cells(tk);
  return h(
    'tr',
    { 'data-row': tk.number, class: classes || null, 'aria-selected': String(tk.number === state.selected) },
    COLUMNS.map((k) =>
      h(
        k === 'number' ? 'th' : 'td',
        { scope: k === 'number' ? 'row' : null, 'data-col': k },
        LABELLED.has(k) ? h('span', { class: 'cell-label', i18n: `col.${k}` }) : null,
        c[k],
      ),
    ),
  );
}

export function renderList() {
  const el = section();
  const tickets = state.tickets;
  const counts = state.counts ?? { overdue: 0, at_risk: 0 };
  $('[data-count]', el).textContent = t('console.count', {
    shown: tickets.length,
    total: state.total,
    overdue: counts.overdue,
    at_risk: counts.at_risk,
  });
  const more = $('[data-more]', el);
  more.hidden = tickets.length >= state.total;
  const wrap = clear($('[data-table]', el));
  if (!tickets.length) return wrap.append(h('p', { class: 'muted', i18n: 'list.empty' }));
  const head = h(
    'tr',
    {},
    COLUMNS.map((c) => h('th', { scope: 'col', i18n: `col.${c}` })),
  );
  wrap.append(h('table', { class: 'tickets' }, h('thead', {}, head), h('tbody', {}, tickets.map(row))));
}

/** Moves the selection by `step` rows (j/k); the selected row is scrolled into view. */
export function moveSelection(step) {
  if (section().hidden || !state.tickets.length) return false;
  const i = state.tickets.findIndex((x) => x.number === state.selected);
  const next = state.tickets[Math.max(0, Math.min(state.tickets.length - 1, (i < 0 ? -1 : i) + step))];
  state.selected = next.number;
  for (const tr of section().querySelectorAll('tr[data-row]')) {
    const on = tr.dataset.row === state.selected;
    tr.classList.toggle('selected', on);
    tr.setAttribute('aria-selected', String(on));
    if (on) tr.scrollIntoView({ block: 'nearest' });
  }
  return true;
}

export const selectedTicket = () => (section().hidden ? null : state.selected);

/** Live: a change to a shown ticket updates its row at once; anything else refreshes the list shortly after. */
function follow() {
  if (!state.unsubscribe)
    onLiveState((s) => {
      const mark = $('[data-live]');
      mark.dataset.live = s;
      mark.dataset.i18n = `console.live.${s}`;
      mark.textContent = t(`console.live.${s}`);
    });
  state.unsubscribe ??= subscribe((e) => {
    if (e.type !== 'ticket' || section().hidden) return;
    const i = state.tickets.findIndex((x) => x.number === e.number);
    if (i >= 0) {
      const tk = { ...state.tickets[i], status: e.status };
      if (e.organisation !== tk.organisation?.id) tk.organisation = e.organisation ? { id: e.organisation, name: null } : null;
      if (e.category !== tk.category?.code) tk.category = e.category ? { code: e.category, name: null } : null;
      state.tickets[i] = tk;
      state.fresh.add(e.number);
      $(`tr[data-row="${CSS.escape(e.number)}"]`, section())?.replaceWith(row(tk));
    } else if (e.action === 'ticket.opened') state.fresh.add(e.number);
    // The filters (and counters) are the server's to judge: fetch the first page again, a little later, once.
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      if (!section().hidden && state.offset === 0) loadList();
    }, 700);
  });
}

/**
 * Wraps the filters of index.html (all but the search) and their buttons in a panel behind a button that says how
 * many are set. On a wide screen the button is not shown and the panel lays its fields out as before (staff.css);
 * the panel follows its button in the page, so the reading order stays that of the screen.
 */
function foldFilters() {
  const fields = FOLDED.map((f) => form().elements.namedItem(f)?.closest('.field')).filter(Boolean);
  // Refresh and reset go with the filters they apply; the list follows changes live, and Enter in the search submits.
  const buttons = [$('[type=submit]', form()), $('[data-reset-filters]', form())].filter(Boolean);
  const toggle = h(
    'button',
    { type: 'button', class: 'secondary filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'filter-panel', 'data-filters-toggle': '' },
    // One child, so that the button's flex box keeps the space before the count.
    h('span', {}, h('span', { i18n: 'console.filters' }), h('span', { 'data-filters-count': '' })),
  );
  const panel = h('div', { id: 'filter-panel', class: 'filter-panel' });
  fields[0].before(toggle, panel);
  panel.append(...fields, ...buttons);
  toggle.addEventListener('click', () => toggle.setAttribute('aria-expanded', String(toggle.getAttribute('aria-expanded') !== 'true')));
}

/** How many filters narrow the list shown (a status other than "open" counts), on the folded panel's button. */
function showActiveCount(p) {
  const n = COUNTED.filter((f) => (f === 'status' ? (p.get(f) ?? '') !== OPEN : Boolean(p.get(f)))).length;
  const count = $('[data-filters-count]', form());
  count.dataset.filtersCount = String(n);
  count.textContent = n ? ` (${n})` : '';
}

export function initList() {
  foldFilters();
  form().addEventListener('submit', (e) => {
    e.preventDefault();
    applyFilters();
  });
  for (const el of form().querySelectorAll('select')) el.addEventListener('change', () => applyFilters());
  $('[data-reset-filters]').addEventListener('click', () => {
    history.replaceState(null, '', '#/staff/list');
    loadList();
  });
  $('[data-more]', section()).addEventListener('click', () => loadList({ more: true }));
  section().addEventListener('click', (e) => {
    const tr = e.target.closest?.('tr[data-row]');
    if (tr && !e.target.closest('a')) {
      state.selected = tr.dataset.row;
      moveSelection(0);
    }
  });
}
