// The public map (#/public): what residents reported and what the city did, by district and topic, with filters and
// the open data downloads. Everything shown comes from /api/v1/public/*, which carries no personal data; the map
// module is loaded only when this screen is opened.
import { api, categories, errorText, loadReference } from './api.js';
import { $, clear, h, say } from './dom.js';
import { lang, localName, t } from './i18n.js';

const STATUS_SETS = {
  open: 'new,assigned,in_progress,waiting,reopened',
  done: 'resolved,closed',
  other: 'rejected,duplicate',
};
/** The map shows the places of at most this many latest appeals (the downloads carry up to 5000). */
const MAP_RECORDS = 2000;

const state = { built: false, districts: null, map: null, summary: null, reports: null, seq: 0 };

function query(extra = {}) {
  const form = $('#public-filters');
  const p = new URLSearchParams();
  for (const name of ['from', 'to', 'district', 'category']) {
    const v = form?.elements.namedItem(name)?.value;
    if (v) p.set(name, v);
  }
  const s = form?.elements.namedItem('status')?.value;
  if (s && STATUS_SETS[s]) p.set('status', STATUS_SETS[s]);
  p.set('lang', lang());
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  return p.toString();
}

function select(name, labelKey, options) {
  const id = `pub-${name}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, i18n: labelKey }),
    h('select', { id, name }, h('option', { value: '', i18n: 'public.any' }), options),
  );
}

function filterForm() {
  const districtOptions = (state.districts?.districts ?? []).map((d) => h('option', { value: d.id }, localName(d.name)));
  const categoryOptions = categories().map((c) => h('option', { value: c.code }, localName(c.names)));
  const statusOptions = Object.keys(STATUS_SETS).map((k) => h('option', { value: k, i18n: `public.status.${k}` }));
  const date = (name) =>
    h('div', { class: 'field' }, h('label', { for: `pub-${name}`, i18n: `public.${name}` }), h('input', { id: `pub-${name}`, name, type: 'date' }));
  return h(
    'form',
    { id: 'public-filters', class: 'filters public-filters', 'aria-labelledby': 'public-filters-h', novalidate: true },
    h('h2', { id: 'public-filters-h', class: 'visually-hidden', i18n: 'public.filters' }),
    date('from'),
    date('to'),
    select('district', 'public.district', districtOptions),
    select('category', 'public.category', categoryOptions),
    select('status', 'public.status', statusOptions),
    h('button', { type: 'submit', class: 'secondary', i18n: 'public.apply' }),
  );
}

function build(view) {
  clear(view).append(
    h('h1', { id: 'public-h', i18n: 'public.title' }),
    h('p', { class: 'lead', i18n: 'public.intro' }),
    filterForm(),
    h('p', { class: 'form-status', role: 'alert', 'data-status': '', hidden: true }),
    h('div', { class: 'public-kpis', 'data-kpis': '', 'aria-live': 'polite' }),
    h(
      'figure',
      { class: 'public-map card' },
      h('div', { 'data-map': '' }),
      h('figcaption', { class: 'hint' }, h('span', { i18n: 'public.map' }), ' ', h('span', { 'data-points-note': '' })),
    ),
    h('div', { class: 'public-tables', 'data-tables': '' }),
    h(
      'section',
      { class: 'card public-download', 'aria-labelledby': 'public-dl-h' },
      h('h2', { id: 'public-dl-h', i18n: 'public.download' }),
      h('p', { class: 'hint', i18n: 'public.download.hint' }),
      h(
        'p',
        { class: 'button-row' },
        h('a', { class: 'button secondary', 'data-download': 'csv', download: '', i18n: 'public.download.csv' }),
        h('a', { class: 'button secondary', 'data-download': 'geojson', download: '', i18n: 'public.download.geojson' }),
      ),
      h('p', { class: 'fine-print', i18n: 'public.licence' }),
    ),
  );
  $('#public-filters', view).addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  state.built = true;
}

/** A share as a percentage; with nothing resolved yet, the words (cards) or a dash (table cells, to fit a phone). */
const percent = (share, none = 'public.on_time.none') => (share === null || share === undefined ? t(none) : `${Math.round(share * 100)}%`);

function kpis(totals) {
  const item = (key, value, name, none = false) =>
    h(
      'div',
      { class: 'kpi', 'data-kpi': name },
      h('p', { class: none ? 'kpi-value kpi-none' : 'kpi-value' }, String(value)),
      h('p', { class: 'kpi-label', i18n: key }),
    );
  return [
    item('public.total', totals.total, 'total'),
    item('public.open', totals.open, 'open'),
    item('public.resolved', totals.resolved, 'resolved'),
    item('public.on_time', percent(totals.on_time_share), 'on_time', totals.on_time_share === null),
  ];
}

function table(captionKey, firstColKey, rows, nameOf, kind) {
  const cols = ['public.col.total', 'public.col.open', 'public.col.resolved', 'public.col.on_time'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'public-table', 'data-table': kind },
      h('caption', { i18n: captionKey }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', i18n: firstColKey }),
          cols.map((k) => h('th', { scope: 'col', class: k === 'public.col.open' ? 'num col-open' : 'num', i18n: k })),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            { 'data-row': r.id ?? r.code ?? '' },
            h('th', { scope: 'row' }, nameOf(r)),
            h('td', { class: 'num' }, String(r.total)),
            h('td', { class: 'num col-open' }, String(r.open)),
            h('td', { class: 'num' }, String(r.resolved)),
            h('td', { class: 'num' }, percent(r.on_time_share, 'public.on_time.dash')),
          ),
        ),
      ),
    ),
  );
}

/** Records on the same grid cell become one dot, titled with how many there are and how many were resolved. */
function points(reports) {
  const cells = new Map();
  for (const r of reports) {
    if (r.lat === null || r.lon === null) continue;
    const key = `${r.lat},${r.lon}`;
    const c = cells.get(key) ?? { lat: r.lat, lon: r.lon, n: 0, done: 0 };
    c.n++;
    if (r.status === 'resolved' || r.status === 'closed') c.done++;
    cells.set(key, c);
  }
  return [...cells.values()].map((c) => ({ lat: c.lat, lon: c.lon, state: c.done === c.n ? 'done' : 'open', title: t('public.map.point', c) }));
}

async function drawMap(view) {
  const s = state.summary;
  const byId = new Map(s.districts.filter((d) => d.id).map((d) => [d.id, d]));
  const most = Math.max(1, ...[...byId.values()].map((d) => d.total));
  const fill = Object.fromEntries([...byId].map(([id, d]) => [id, d.total / most]));
  const pts = points(state.reports.reports);
  const districtTitle = (id) => t('public.map.district', { name: byId.get(id)?.name ?? id, n: byId.get(id)?.total ?? 0 });
  $('[data-points-note]', view).textContent = t('public.shown_points', { n: pts.length, m: state.reports.reports.length });
  if (!state.map) {
    const { renderDistrictMap } = await import('./map.js');
    state.map = renderDistrictMap($('[data-map]', view), { districts: state.districts, points: pts, fill, districtTitle, label: 'public.map' });
  } else state.map.update({ points: pts, fill, districtTitle });
}

function render(view) {
  const s = state.summary;
  clear($('[data-kpis]', view)).append(...kpis(s.totals));
  const tables = clear($('[data-tables]', view));
  if (!s.totals.total) tables.append(h('p', { class: 'muted', 'data-empty': '', i18n: 'public.empty' }));
  tables.append(
    table('public.by_district', 'public.col.district', s.districts, (r) => r.name ?? t('public.no_district'), 'districts'),
    table('public.by_category', 'public.col.category', s.categories, (r) => r.name ?? t('public.no_category'), 'categories'),
  );
  for (const a of view.querySelectorAll('[data-download]')) a.href = `/api/v1/public/reports.${a.dataset.download}?${query({ limit: 5000 })}`;
}

async function load() {
  const view = $('#view-public');
  const status = $('[data-status]', view);
  const seq = ++state.seq;
  say(status, '');
  try {
    const [summary, reports] = await Promise.all([api(`/public/summary?${query()}`), api(`/public/reports?${query({ limit: MAP_RECORDS })}`)]);
    if (seq !== state.seq) return; // a newer request is under way
    Object.assign(state, { summary, reports });
    render(view);
    await drawMap(view);
    view.dataset.loaded = 'true';
  } catch (err) {
    say(status, errorText(err), 'error');
  }
}

export async function showPublic() {
  const view = $('#view-public');
  if (!state.built) {
    const [districts] = await Promise.all([api('/districts'), loadReference()]);
    state.districts = districts;
    build(view);
  }
  await load();
}

/** After a change of language: names come from the API in the page's language, so ask again. */
export function relocalizePublic() {
  if (!state.built) return;
  const form = $('#public-filters');
  const kept = Object.fromEntries(['from', 'to', 'district', 'category', 'status'].map((n) => [n, form.elements.namedItem(n).value]));
  form.replaceWith(filterForm());
  const fresh = $('#public-filters');
  for (const [n, v] of Object.entries(kept)) fresh.elements.namedItem(n).value = v;
  fresh.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  if (!$('#view-public').hidden) load();
}
