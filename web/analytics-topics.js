// #/analytics/topics: the themes of a period against a baseline (GET /api/v1/analytics/topics) — each with its volume
// per day, its key phrases with their counts and z-scores, and three quotes with personal data masked by the server.
import { api, errorText } from './api.js';
import { lineChart } from './charts.js';
import { clear, h, say } from './dom.js';
import { t } from './i18n.js';

const DAY = 86_400_000;
const state = { container: null, filters: null, data: null, offset: null };
// Days are the city's (its UTC offset from GET /districts), not the browser's: a browser elsewhere would otherwise
// ask for a period shifted by hours, and the trend would end in a day that has not begun in the city.
const cityDay = (ms) => new Date(ms + (state.offset ?? 0) * 60_000).toISOString().slice(0, 10);
const dayStart = (day) => new Date(Date.parse(`${day}T00:00:00Z`) - (state.offset ?? 0) * 60_000);

function form() {
  const f = state.filters;
  const from = h('input', { type: 'date', name: 'from', value: f.from, required: true });
  const to = h('input', { type: 'date', name: 'to', value: f.to, required: true });
  const unc = h('input', { type: 'checkbox', name: 'uncategorised', ...(f.uncategorised ? { checked: true } : {}) });
  const el = h(
    'form',
    { class: 'filters topics-filters' },
    h('label', { class: 'field' }, h('span', {}, t('topics.from')), from),
    h('label', { class: 'field' }, h('span', {}, t('topics.to')), to),
    h('label', { class: 'check' }, unc, ' ', t('topics.uncategorised')),
    h('button', { type: 'submit' }, t('topics.show')),
  );
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filters = { from: from.value, to: to.value, uncategorised: unc.checked };
    load();
  });
  return el;
}

function theme(th, days) {
  return h(
    'article',
    { class: 'card topic' },
    h('h3', {}, th.label, ' ', h('small', {}, t('topics.messages', { n: th.messages }))),
    lineChart({ title: t('topics.trend'), labels: days.map((d) => d.slice(5)), series: [{ name: th.label, values: th.trend }] }),
    h('h4', {}, t('topics.phrases')),
    h(
      'ul',
      { class: 'topic-phrases' },
      ...th.phrases.map((p) => h('li', {}, t('topics.phrase.z', { phrase: p.phrase, period: p.period, baseline: p.baseline, z: p.z }))),
    ),
    h('h4', {}, t('topics.quotes')),
    ...th.quotes.map((q) => h('blockquote', { class: 'topic-quote' }, q.text, ' ', h('small', {}, q.day))),
  );
}

function draw() {
  const box = state.container?.querySelector('.topics-list');
  if (!box || !state.data) return;
  clear(box);
  const d = state.data;
  box.append(h('p', {}, t('topics.counts', d.messages)));
  if (!d.themes.length) return box.append(h('p', { class: 'lead' }, t('topics.none')));
  box.append(...d.themes.map((th) => theme(th, d.days)));
}

async function load() {
  const box = state.container?.querySelector('.topics-list');
  if (!box) return;
  clear(box);
  const status = h('p', { class: 'status', role: 'status' });
  box.append(status);
  say(status, t('topics.loading'));
  const f = state.filters;
  const q = new URLSearchParams({
    from: dayStart(f.from).toISOString(),
    to: new Date(dayStart(f.to).getTime() + DAY).toISOString(),
  });
  if (f.uncategorised) q.set('uncategorised', 'true');
  try {
    state.data = await api(`/analytics/topics?${q}`);
    draw();
  } catch (err) {
    say(status, errorText(err), 'error');
  }
}

function build() {
  clear(state.container);
  state.container.append(h('p', { class: 'lead' }, t('topics.lead')), form(), h('div', { class: 'topics-list', 'aria-live': 'polite' }));
}

export async function render(container) {
  state.container = container;
  if (state.offset === null) {
    try {
      state.offset = (await api('/districts')).utc_offset_minutes ?? 0;
    } catch {
      // the browser's UTC days, until the city's offset is known
    }
  }
  state.filters ??= { from: cityDay(Date.now() - 6 * DAY), to: cityDay(Date.now()), uncategorised: false };
  build();
  await load();
}

export function relocalize() {
  if (!state.container) return;
  build();
  draw();
}

export function hide() {
  state.container = null;
}
