// #/analytics/volume: how much residents write and in what mood, from the rollups (GET /api/v1/analytics/volume…):
// filters on every dimension, the districts on the map shaded by volume, volume and sentiment over time, the
// categories, and the CSV export whose cells of fewer than five residents are withheld by the server.
import { api, errorText, loadReference, names, session } from './api.js';
import { clear, h, say } from './dom.js';
import { label, lang, localName, t } from './i18n.js';

const DIMS = {
  district: null, // filled from the reference data
  category: null,
  channel: ['telegram', 'web', 'phone', 'instagram', 'vk', 'facebook', 'x', 'email'],
  language: ['ru', 'kk', 'en'],
  kind: ['complaint', 'question', 'thanks', 'suggestion', 'noise'],
  sentiment: ['negative', 'neutral', 'positive'],
};
const PERIODS = [1, 7, 30, 90, 365];
const state = { container: null, filters: { days: 30 }, reference: null, map: null, seq: 0 };
const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

function query(extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...extra })) if (v !== '' && v !== undefined && v !== null) q.set(k, String(v));
  return q.toString();
}

function valueName(dim, value) {
  if (value === null || value === undefined) return t('vol.none');
  if (dim === 'district') return names.district({ id: value, name: null }) ?? value;
  if (dim === 'category') return names.category({ code: value, name: null }) ?? value;
  return label(dim === 'language' ? 'language' : dim, value);
}

function options(dim) {
  if (dim === 'district') return (state.reference?.districts ?? []).map((d) => d.id).concat('none');
  if (dim === 'category') return [...(state.categories ?? [])].concat('none');
  return DIMS[dim];
}

function filterBar() {
  const select = (name, values, text) =>
    h(
      'label',
      { class: 'field' },
      h('span', {}, t(`vol.filter.${name}`)),
      h(
        'select',
        { name, on: { change: (e) => setFilter(name, e.target.value) } },
        ...values.map((v) => h('option', { value: v, selected: String(state.filters[name] ?? '') === String(v) }, text(v))),
      ),
    );
  const bucket = state.filters.days <= 2 ? ['hour', 'day'] : ['day', 'week'];
  return h(
    'form',
    { class: 'filters', 'aria-label': t('vol.filters'), on: { submit: (e) => e.preventDefault() } },
    select('days', PERIODS, (d) => t('vol.period', { n: d })),
    select('bucket', bucket, (b) => t(`vol.bucket.${b}`)),
    ...Object.keys(DIMS).map((dim) =>
      select(dim, ['', ...options(dim)], (v) => (v === '' ? t('vol.all') : v === 'none' ? t('vol.none') : valueName(dim, v))),
    ),
  );
}

function setFilter(name, value) {
  if (name === 'days') {
    state.filters.days = Number(value);
    state.filters.bucket = state.filters.days <= 2 ? 'hour' : state.filters.days > 90 ? 'week' : 'day';
  } else state.filters[name] = value;
  render(state.container);
}

async function download() {
  const res = await fetch(
    `/api/v1/analytics/volume.csv?${query({ by: 'district', bucket: state.filters.bucket === 'week' ? 'week' : 'day', lang: lang() })}`,
    {
      headers: { authorization: `Bearer ${session.token}` },
    },
  );
  if (!res.ok) return say(state.container.querySelector('[data-vol-status]'), t('vol.export.failed'), 'error');
  const url = URL.createObjectURL(await res.blob());
  h('a', { href: url, download: 'volume-by-district.csv' }).click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function render(container) {
  state.container = container;
  const seq = ++state.seq;
  state.filters.bucket ??= 'day';
  await loadReference();
  try {
    state.reference ??= await api('/districts');
    state.categories ??= (await api('/categories')).map((c) => c.code);
  } catch {
    // names fall back to codes
  }
  if (seq !== state.seq) return; // a newer choice is being drawn
  const q = query();
  const status = h('p', { 'data-vol-status': '', role: 'status', class: 'muted' }, t('vol.loading'));
  // Sized here: the map and charts scale to their box, and a full-width map would push the rest off the screen.
  const mapBox = h('div', { class: 'vol-map', style: 'max-width:560px' });
  const trend = h('section', { style: 'max-width:720px' });
  const cats = h('section', { style: 'max-width:720px' });
  clear(container).append(
    h('p', { class: 'lead' }, t('vol.lead')),
    filterBar(),
    status,
    h('section', { 'aria-labelledby': 'vol-map-h' }, h('h2', { id: 'vol-map-h' }, t('vol.map.title')), mapBox),
    trend,
    cats,
    h('p', {}, h('button', { type: 'button', on: { click: download } }, t('vol.export')), ' ', h('span', { class: 'muted' }, t('vol.export.note'))),
  );
  let series;
  let byDistrict;
  let byCategory;
  try {
    [series, byDistrict, byCategory] = await Promise.all([
      api(`/analytics/volume?${q}`),
      api(`/analytics/volume/by/district?${q}`),
      api(`/analytics/volume/by/category?${q}`),
    ]);
  } catch (err) {
    return say(status, errorText(err), 'error');
  }
  if (seq !== state.seq) return; // a newer choice is being drawn
  const tot = series.totals;
  status.className = '';
  status.textContent = t('vol.totals', { n: tot.messages, share: pct(tot.negative_share) });
  await drawMap(mapBox, byDistrict.rows);
  const { lineChart, barChart } = await import('./charts.js');
  if (seq !== state.seq) return;
  if (!series.series.length) trend.append(h('p', { class: 'muted' }, t('vol.empty')));
  else
    trend.append(
      lineChart({
        title: t('vol.trend.title'),
        labels: series.series.map((s) => (state.filters.bucket === 'hour' ? s.bucket.slice(11, 16) : s.bucket.slice(5))),
        series: [
          { name: t('vol.messages'), values: series.series.map((s) => s.messages) },
          { name: label('sentiment', 'negative'), values: series.series.map((s) => s.negative) },
          { name: label('sentiment', 'positive'), values: series.series.map((s) => s.positive) },
        ],
      }),
    );
  const top = byCategory.rows.slice(0, 12);
  if (top.length)
    cats.append(
      barChart({ title: t('vol.categories.title'), labels: top.map((r) => valueName('category', r.value)), values: top.map((r) => r.messages) }),
    );
}

async function drawMap(holder, rows) {
  if (!state.reference?.geojson && !state.reference?.districts) return;
  const by = new Map(rows.map((r) => [r.value, r]));
  const max = Math.max(1, ...rows.filter((r) => r.value).map((r) => r.messages));
  const fill = Object.fromEntries(rows.filter((r) => r.value).map((r) => [r.value, r.messages / max]));
  const districtTitle = (id) => {
    const r = by.get(id) ?? { messages: 0, negative_share: null };
    return t('vol.map.district', {
      name: localName(state.reference.districts?.find((d) => d.id === id)?.name) || id,
      n: r.messages,
      share: pct(r.negative_share),
    });
  };
  const { renderDistrictMap } = await import('./map.js');
  state.map?.destroy?.();
  state.map = renderDistrictMap(clear(holder), { districts: state.reference, fill, districtTitle, label: 'vol.map.label' });
  holder.append(
    h(
      'ul',
      { class: 'vol-districts' },
      ...rows.map((r) => h('li', {}, `${valueName('district', r.value)}: ${r.messages} · ${t('vol.negative')} ${pct(r.negative_share)}`)),
    ),
  );
}

export function relocalize() {
  if (state.container) render(state.container);
}

export function hide() {
  state.map?.destroy?.();
  state.map = null;
  state.seq++;
}
