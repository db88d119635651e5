// The situation centre (#/situation) for supervisors, operators, admins and the akim: KPI tiles, the district map
// with tickets and incidents, the league table, trends by category and the at-risk list. The map (map.js) and the
// charts (charts.js) are loaded with import() so the rest of the app does not carry them. Figures follow the live
// stream (live.js): a ticket's change refreshes them within a second or so, a new incident or spike alert is
// highlighted and announced; without the stream they are fetched again every 30 seconds.
import { ApiError, api, errorText, loadReference, names, session } from './api.js';
import { $, clear, h, say } from './dom.js';
import { formatDateTime, lang, localName, t } from './i18n.js';
import { onLiveState, subscribe } from './live.js';
import { atRiskTable, incidentTitle, kpiTiles, leagueTable, mapLists, rowName, spikeList, ticketTitle, WORSE_FIRST } from './situation-parts.js';

const ALLOWED = ['admin', 'supervisor', 'operator', 'official'];
/** Who may make an incident of a spike's tickets (the incidents policy: the centre's roles, not the akim). */
const GROUPERS = ['admin', 'supervisor', 'operator'];
const SPIKES_SHOWN = 5;
const PERIODS = { today: 0, week: 7, month: 30 };
const POLL_MS = 30_000;
const TREND_DAYS = 14;
const root = () => $('#view-situation');
const state = {
  active: false,
  period: 'today',
  league: { by: 'organisations', sort: 'overdue', dir: 'desc' },
  data: null,
  reference: null,
  fresh: new Set(),
  seen: null,
  map: null,
  unsubscribe: null,
  stopLive: null,
  poll: null,
  pending: null,
  // Spike alerts: the latest few, the ids seen at the last look, those that arrived live, those marked new.
  spikes: null,
  spikesSeen: null,
  spikesLive: new Set(),
  spikesFresh: new Set(),
};

function periodQuery() {
  const days = PERIODS[state.period];
  if (!days) return '';
  return `?from=${encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString())}`;
}

/** #/situation: shown when the route opens it; hidden (and its live subscription stopped) when another opens. */
export async function showSituation(restoreSession) {
  state.active = true;
  await restoreSession();
  const user = session.user;
  const el = clear(root());
  el.append(h('h1', { id: 'situation-h', i18n: 'sit.title' }));
  if (!user) {
    el.append(h('p', { class: 'lead' }, t('sit.login'), ' ', h('a', { href: '#/staff', i18n: 'sit.login.link' })));
    return;
  }
  if (!user.roles.some((r) => ALLOWED.includes(r))) return el.append(h('p', { class: 'lead', i18n: 'sit.forbidden' }));
  el.append(...skeleton());
  startLive();
  await Promise.all([refresh(), loadTrends(), loadSpikes()]);
}

export function hideSituation() {
  state.active = false;
  state.unsubscribe?.();
  state.stopLive?.();
  clearInterval(state.poll);
  Object.assign(state, { unsubscribe: null, stopLive: null, poll: null, map: null, spikes: null, spikesSeen: null });
}

function skeleton() {
  const periodSelect = h(
    'select',
    {
      id: 'sit-period',
      on: {
        change: (e) => {
          state.period = e.target.value;
          refresh();
        },
      },
    },
    Object.keys(PERIODS).map((p) => h('option', { value: p, selected: p === state.period, i18n: `sit.period.${p}` })),
  );
  const bySelect = h(
    'select',
    {
      id: 'sit-by',
      on: {
        change: (e) => {
          state.league.by = e.target.value;
          renderLeague();
        },
      },
    },
    ['organisations', 'districts'].map((b) => h('option', { value: b, selected: b === state.league.by, i18n: `sit.league.${b}` })),
  );
  return [
    h(
      'div',
      { class: 'sit-bar' },
      h('div', { class: 'field' }, h('label', { for: 'sit-period', i18n: 'sit.period' }), periodSelect),
      h('p', { class: 'sit-live', 'data-live': '' }),
      h('p', { class: 'muted', 'data-updated': '', 'aria-live': 'off' }),
    ),
    h('p', { class: 'form-status', role: 'alert', 'data-status': '', hidden: true }),
    h('p', { class: 'visually-hidden', role: 'status', 'data-announce': '' }),
    h('section', { class: 'card', 'aria-labelledby': 'sit-kpi-h' }, h('h2', { id: 'sit-kpi-h', i18n: 'sit.kpis' }), h('div', { 'data-kpis': '' })),
    h(
      'section',
      { class: 'card sit-spikes', 'aria-labelledby': 'sit-spikes-h' },
      h('h2', { id: 'sit-spikes-h', i18n: 'sit.spikes' }),
      h('p', { class: 'hint', i18n: 'sit.spikes.hint' }),
      h('div', { 'data-spikes': '' }, h('p', { class: 'muted', i18n: 'spikes.loading' })),
      h('p', {}, h('a', { href: '#/analytics/spikes', i18n: 'sit.spikes.all' })),
    ),
    h(
      'div',
      { class: 'sit-grid' },
      h(
        'section',
        { class: 'card sit-map', 'aria-labelledby': 'sit-map-h' },
        h('h2', { id: 'sit-map-h', i18n: 'sit.map' }),
        h('div', { 'data-map': '' }),
        legend(),
        h('div', { 'data-map-lists': '' }),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'sit-risk-h' },
        h('h2', { id: 'sit-risk-h', i18n: 'sit.atrisk' }),
        h('div', { 'data-at-risk': '' }),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sit-league-h' },
      h('h2', { id: 'sit-league-h', i18n: 'sit.league' }),
      h('div', { class: 'field inline' }, h('label', { for: 'sit-by', i18n: 'sit.league.by' }), bySelect),
      h('p', { class: 'hint', i18n: 'sit.league.hint' }),
      h('div', { 'data-league': '' }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sit-trends-h' },
      h('h2', { id: 'sit-trends-h', i18n: 'sit.trends' }),
      h('div', { class: 'sit-charts', 'data-trends': '' }),
    ),
  ];
}

function legend() {
  const item = (cls, key) => h('li', {}, h('span', { class: `legend-mark ${cls}`, 'aria-hidden': 'true' }), h('span', { i18n: key }));
  return h(
    'div',
    { class: 'map-legend' },
    h('h3', { class: 'visually-hidden', i18n: 'sit.map.legend' }),
    h(
      'ul',
      {},
      ['on_track', 'at_risk', 'overdue', 'paused'].map((s) => item(`pt-${s}`, `sit.state.${s}`)),
      item('inc', 'sit.map.incident'),
      item('inc inc-fresh', 'sit.map.incident.new'),
    ),
    h('p', { class: 'hint', i18n: 'sit.map.fill' }),
  );
}

async function refresh() {
  if (!state.active) return;
  const status = $('[data-status]', root());
  try {
    const [kpis, map, atRisk, ref] = await Promise.all([
      api(`/situation/kpis${periodQuery()}`),
      api('/situation/map'),
      api('/situation/at-risk?limit=30'),
      state.reference ?? api('/districts'),
      loadReference(),
    ]);
    state.reference = ref;
    // Incidents that appeared since the last look are "new": marked on the map and in the list, and announced.
    const numbers = new Set(map.incidents.map((i) => i.number));
    if (state.seen) for (const i of map.incidents) if (!state.seen.has(i.number)) announce(i);
    state.seen = numbers;
    state.data = { kpis, map, atRisk };
    if (status) say(status, '');
    render();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showSituation(async () => {});
    if (status) say(status, errorText(err), 'error');
  }
}

function announce(incident) {
  state.fresh.add(incident.number);
  const district = incident.district ? names.district({ id: incident.district }) : t('sit.nodistrict');
  const text = t('sit.incident.new', { number: incident.number, category: names.category({ code: incident.category }) || t('sit.none'), district });
  const region = $('[data-announce]', root());
  if (region) region.textContent = text;
}

/** Refreshes soon, once, however many events arrive together (a burst of fifty reports of one pipe). */
function soon() {
  clearTimeout(state.pending);
  state.pending = setTimeout(refresh, 700);
}

/** The latest spike alerts; those not seen at the last look, or announced by the stream, are marked and announced. */
async function loadSpikes() {
  if (!state.active) return;
  try {
    const { alerts } = await api(`/analytics/spikes?limit=${SPIKES_SHOWN}&lang=${lang()}`);
    if (!state.active) return;
    for (const a of alerts) {
      const arrived = (state.spikesSeen && !state.spikesSeen.has(a.id)) || state.spikesLive.has(a.id);
      if (arrived && !state.spikesFresh.has(a.id)) {
        state.spikesFresh.add(a.id);
        const region = $('[data-announce]', root());
        if (region)
          region.textContent = t('sit.spike.new', {
            category: a.category_name,
            district: a.district_name,
            observed: a.observed,
            expected: a.expected,
          });
      }
    }
    state.spikesSeen = new Set(alerts.map((a) => a.id));
    state.spikes = alerts;
    renderSpikes();
  } catch (err) {
    const holder = $('[data-spikes]', root());
    if (holder) clear(holder).append(h('p', { class: 'form-status', 'data-kind': 'error' }, errorText(err)));
  }
}

function renderSpikes() {
  const holder = $('[data-spikes]', root());
  if (!holder || !state.spikes) return;
  const mayGroup = session.user?.roles.some((r) => GROUPERS.includes(r));
  clear(holder).append(spikeList(state.spikes, state.spikesFresh, mayGroup ? makeIncident : null));
}

async function makeIncident(alert, button, status) {
  button.disabled = true;
  try {
    const r = await api(`/analytics/spikes/${alert.id}/incident`, { method: 'POST', body: {} });
    alert.incident = r.incident;
    renderSpikes();
    $(`[data-spike="${alert.id}"] a[href^="#/staff/incident/"]`, root())?.focus();
  } catch (err) {
    button.disabled = false;
    say(status, errorText(err), 'error');
  }
}

function startLive() {
  state.unsubscribe?.();
  state.unsubscribe = subscribe((e) => {
    if (e.type === 'spike') {
      // A new alert: fetched at once (it is rare, and the supervisor should see it now), marked and announced.
      state.spikesLive.add(Number(e.number));
      return loadSpikes();
    }
    if (e.type === 'incident' && e.action === 'incident.opened') {
      state.fresh.add(e.number);
      loadSpikes(); // it may have been made of an alert shown here
    }
    soon();
  });
  state.stopLive?.();
  state.stopLive = onLiveState((s) => {
    const el = $('[data-live]', root());
    if (el) {
      el.dataset.state = s;
      el.textContent = t(`sit.live.${s}`);
    }
  });
  clearInterval(state.poll);
  state.poll = setInterval(() => {
    if (!state.active) return;
    refresh();
    loadSpikes();
  }, POLL_MS);
}

function render() {
  const el = root();
  const d = state.data;
  if (!d || !$('[data-kpis]', el)) return;
  clear($('[data-kpis]', el)).append(kpiTiles(d.kpis.overall));
  $('[data-updated]', el).textContent = t('sit.updated', { time: formatDateTime(d.kpis.now) });
  clear($('[data-at-risk]', el)).append(atRiskTable(d.atRisk));
  renderLeague();
  renderMap();
}

function renderLeague() {
  const d = state.data;
  if (!d) return;
  const { by, sort, dir } = state.league;
  const rows = [...d.kpis[by]].filter((r) => by === 'districts' || r.received || r.open || r.resolved || r.ratings);
  const sign = dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const [x, y] = [a[sort], b[sort]];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (x - y) * sign || rowName(by, a).localeCompare(rowName(by, b));
  });
  const table = leagueTable({ by, sort, dir, rows: rows.map((r, i) => ({ ...r, rank: i + 1 })) }, (k) => {
    state.league.dir = k === state.league.sort ? (state.league.dir === 'asc' ? 'desc' : 'asc') : (WORSE_FIRST[k] ?? 'desc');
    state.league.sort = k;
    renderLeague();
    $(`[data-league] [data-sort="${k}"]`, root())?.focus();
  });
  clear($('[data-league]', root())).append(table);
}

async function renderMap() {
  const { map } = state.data;
  const districtNames = new Map((state.reference?.districts ?? []).map((x) => [x.id, x.name]));
  const counts = new Map(map.districts.map((x) => [x.id, x]));
  const fill = Object.fromEntries(map.districts.map((x) => [x.id, x.open ? (x.overdue + x.at_risk) / x.open : 0]));
  const districtTitle = (id) => {
    const c = counts.get(id) ?? { open: 0, overdue: 0, at_risk: 0 };
    return t('sit.map.district', { name: localName(districtNames.get(id)) || id, ...c });
  };
  const points = map.tickets.map((tk) => ({ ...tk, title: ticketTitle(tk), href: `#/staff/ticket/${encodeURIComponent(tk.number)}` }));
  const incidents = map.incidents
    .filter((i) => i.point)
    .map((i) => ({
      ...i.point,
      count: i.tickets,
      fresh: state.fresh.has(i.number),
      title: incidentTitle(i),
      href: `#/staff/incident/${encodeURIComponent(i.number)}`,
    }));
  clear($('[data-map-lists]', root())).append(mapLists(map, districtNames, state.fresh));
  if (!state.map) {
    const { renderDistrictMap } = await import('./map.js');
    const holder = $('[data-map]', root());
    if (!holder || state.map) return;
    state.map = renderDistrictMap(clear(holder), { districts: state.reference, tileUrl: map.tile_url, points, incidents, fill, districtTitle });
  } else state.map.update({ points, incidents, fill, districtTitle });
}

async function loadTrends() {
  const holder = $('[data-trends]', root());
  if (!holder) return;
  try {
    const [trend, { lineChart, barChart }] = await Promise.all([api(`/situation/trends?days=${TREND_DAYS}`), import('./charts.js'), loadReference()]);
    const cats = trend.categories;
    if (!cats.length) return clear(holder).append(h('p', { class: 'muted', i18n: 'sit.trends.none' }));
    const catName = (c) => (c.code ? names.category({ code: c.code }) || c.code : t('sit.trends.other'));
    const labels = trend.days.map((d) => `${d.slice(8, 10)}.${d.slice(5, 7)}`);
    const top = cats.slice(0, 5);
    clear(holder).append(
      lineChart({ title: t('sit.trends.caption', { n: TREND_DAYS }), labels, series: top.map((c) => ({ name: catName(c), values: c.counts })) }),
      barChart({
        title: t('sit.trends.totals', { n: TREND_DAYS }),
        labels: cats.slice(0, 10).map(catName),
        values: cats.slice(0, 10).map((c) => c.total),
      }),
    );
  } catch (err) {
    clear(holder).append(h('p', { class: 'form-status', 'data-kind': 'error' }, errorText(err)));
  }
}

/** The language changed: redraw everything from the figures already loaded. */
export function relocalizeSituation() {
  if (!state.active || !state.data) return;
  state.map = null;
  const el = root();
  clear(el).append(h('h1', { id: 'situation-h', i18n: 'sit.title' }), ...skeleton());
  startLive();
  render();
  loadTrends();
  loadSpikes(); // the alerts' names and explanations come from the server in the page's language
}
