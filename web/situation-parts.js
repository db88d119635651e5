// The situation centre's blocks, each a function of the API's answer: KPI tiles, the league table (sortable with
// buttons in its column headings, so the keyboard sorts it too), the at-risk list linking to tickets, the map's
// accessible twin (districts and live incidents as lists) and the spike alerts. Screen logic lives in situation.js.
import { names } from './api.js';
import { h } from './dom.js';
import { formatDateTime, label, lang, localName, t } from './i18n.js';

export const TILE_KPIS = [
  'received',
  'open',
  'overdue',
  'at_risk',
  'median_first_response_minutes',
  'median_resolution_minutes',
  'on_time_share',
  'average_rating',
  'reopens',
];
export const LEAGUE_KPIS = [
  'received',
  'open',
  'overdue',
  'at_risk',
  'on_time_share',
  'median_first_response_minutes',
  'median_resolution_minutes',
  'average_rating',
  'reopens',
];
/** Which way is "worse first" for each KPI: the table opens with the organisations that need attention on top. */
export const WORSE_FIRST = { on_time_share: 'asc', average_rating: 'asc' };

export function duration(minutes) {
  if (minutes === null || minutes === undefined) return t('sit.none');
  const m = Math.round(minutes);
  if (m < 60) return t('sit.unit.minutes', { m });
  if (m < 24 * 60) return t('sit.unit.hours', { h: Math.floor(m / 60), m: m % 60 });
  return t('sit.unit.days', { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60) });
}

export function kpiText(key, v) {
  if (v === null || v === undefined) return t('sit.none');
  if (key.startsWith('median_')) return duration(v);
  if (key === 'on_time_share') return t('sit.unit.percent', { n: Math.round(v * 100) });
  if (key === 'average_rating') return t('sit.unit.rating', { n: Number(v).toFixed(1) });
  return String(v);
}

const ALERT = { overdue: (v) => v > 0, at_risk: (v) => v > 0 };

export function kpiTiles(overall) {
  return h(
    'ul',
    { class: 'kpi-tiles' },
    TILE_KPIS.map((k) =>
      h(
        'li',
        { class: `kpi${ALERT[k]?.(overall[k]) ? ` kpi-alert kpi-${k}` : ''}`, 'data-kpi': k },
        h('span', { class: 'kpi-value', 'data-value': overall[k] ?? '' }, kpiText(k, overall[k])),
        h('span', { class: 'kpi-label', i18n: `kpi.${k}` }),
      ),
    ),
  );
}

export const rowName = (by, row) =>
  row.id === null
    ? t('sit.nodistrict')
    : by === 'organisations'
      ? names.organisation({ id: row.id, name: row.name })
      : names.district({ id: row.id, name: row.name });

/** The league table: `state` = { by, sort, dir, rows }; onSort(kpi) re-sorts (the caller decides the direction). */
export function leagueTable({ by, sort, dir, rows }, onSort) {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', i18n: 'sit.col.rank' }),
    h('th', { scope: 'col', i18n: 'sit.col.name' }),
    LEAGUE_KPIS.map((k) =>
      h(
        'th',
        { scope: 'col', 'aria-sort': k === sort ? (dir === 'asc' ? 'ascending' : 'descending') : null },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            'data-sort': k,
            'aria-label': t('sit.league.sort', { name: t(`kpi.${k}`) }),
            on: { click: () => onSort(k) },
          },
          t(`kpi.${k}`),
          k === sort ? h('span', { 'aria-hidden': 'true', class: 'sort-mark' }, dir === 'asc' ? ' ▲' : ' ▼') : null,
        ),
      ),
    ),
  );
  const body = rows.map((r) =>
    h(
      'tr',
      { 'data-row': r.id ?? '' },
      h('td', {}, String(r.rank)),
      h('th', { scope: 'row' }, rowName(by, r)),
      LEAGUE_KPIS.map((k) => h('td', { class: `num${k === sort ? ' sorted' : ''}` }, kpiText(k, r[k]))),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'league' }, h('thead', {}, head), h('tbody', {}, body)));
}

/** The at-risk list: one item per ticket (number and state first), so it reads well in a narrow column too. */
export function atRiskTable(list) {
  if (!list.tickets.length) return h('p', { class: 'muted', i18n: 'sit.atrisk.empty' });
  const place = (tk) =>
    [names.category({ code: tk.category }), names.organisation({ id: tk.organisation }), tk.district ? names.district({ id: tk.district }) : null]
      .filter(Boolean)
      .join(' · ');
  return h(
    'div',
    {},
    h('p', { class: 'count' }, t('sit.atrisk.count', { n: list.total })),
    h(
      'ol',
      { class: 'at-risk' },
      list.tickets.map((tk) =>
        h(
          'li',
          { 'data-row': tk.number, class: `risk-${tk.state}` },
          h(
            'p',
            { class: 'risk-head' },
            h('a', { href: `#/staff/ticket/${encodeURIComponent(tk.number)}` }, tk.number),
            ' ',
            h('span', { class: `badge deadline-${tk.state}` }, t(`sit.state.${tk.state}`)),
          ),
          h('p', { class: 'risk-when' }, tk.operator?.[lang()] ?? tk.due),
          h('p', { class: 'sub' }, place(tk)),
        ),
      ),
    ),
  );
}

/** The map as lists: every district's counts, and the live incidents (new ones marked), each linking to its card. */
export function mapLists(map, districtNames, fresh) {
  const districts = h(
    'table',
    { class: 'tickets map-districts-list' },
    h('caption', { i18n: 'sit.map.list' }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['col.district', 'kpi.open', 'kpi.overdue', 'kpi.at_risk'].map((k) => h('th', { scope: 'col', i18n: k })),
      ),
    ),
    h(
      'tbody',
      {},
      map.districts.map((d) =>
        h(
          'tr',
          { 'data-district-row': d.id },
          h('th', { scope: 'row' }, localName(districtNames.get(d.id)) || d.id),
          h('td', {}, String(d.open)),
          h('td', {}, String(d.overdue)),
          h('td', {}, String(d.at_risk)),
        ),
      ),
    ),
  );
  const items = map.incidents.map((i) =>
    h(
      'li',
      { class: fresh.has(i.number) ? 'fresh' : null, 'data-incident': i.number },
      fresh.has(i.number) ? h('span', { class: 'badge new', i18n: 'sit.map.incident.new' }) : null,
      h('a', { href: `#/staff/incident/${encodeURIComponent(i.number)}` }, incidentTitle(i)),
    ),
  );
  return h(
    'div',
    { class: 'map-lists' },
    h('div', { class: 'table-wrap' }, districts),
    h(
      'div',
      {},
      h('h3', { i18n: 'sit.map.incidents' }),
      items.length ? h('ul', { class: 'incident-list' }, items) : h('p', { class: 'muted', i18n: 'sit.map.incidents.none' }),
    ),
  );
}

export const incidentTitle = (i) =>
  t('sit.map.incident.title', { number: i.number, category: names.category({ code: i.category }) || t('sit.none'), n: i.tickets });

export const ticketTitle = (tk) =>
  t('sit.map.ticket', { number: tk.number, category: names.category({ code: tk.category }) || t('sit.none'), state: label('sit.state', tk.state) });

/**
 * The latest spike alerts (GET /api/v1/analytics/spikes), newest first, the new ones marked: each names its category
 * and district (a link to the Spikes tab, where its messages are), its window and counts, and its incident — or the
 * button that makes one, when `onMake(alert, button, status)` is given (those who may group tickets).
 */
export function spikeList(alerts, fresh, onMake) {
  if (!alerts.length) return h('p', { class: 'muted', i18n: 'spikes.none' });
  const item = (a) => {
    const isNew = fresh.has(a.id);
    const status = h('span', { class: 'form-status', role: 'status', hidden: true });
    let action = null;
    if (a.incident) action = h('a', { href: `#/staff/incident/${encodeURIComponent(a.incident)}` }, t('spikes.made', { id: a.incident }));
    else if (onMake) {
      action = h('button', { type: 'button', class: 'secondary', 'data-make-incident': String(a.id) }, t('spikes.make'));
      action.addEventListener('click', () => onMake(a, action, status));
    }
    return h(
      'li',
      { class: isNew ? 'fresh' : null, 'data-spike': String(a.id) },
      isNew ? h('span', { class: 'badge new', i18n: 'spikes.new' }) : null,
      h('a', { href: '#/analytics/spikes' }, `${a.category_name} — ${a.district_name}`),
      h('p', { class: 'sub' }, t('spikes.window', { from: formatDateTime(a.window.from), to: formatDateTime(a.window.to) })),
      h('p', { class: 'sub' }, t('sit.spike.counts', { observed: a.observed, expected: a.expected, ratio: a.ratio })),
      action ? h('p', {}, action, ' ', status) : null,
    );
  };
  return h('ul', { class: 'incident-list spike-alerts' }, alerts.map(item));
}
