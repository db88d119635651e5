// #/analytics/spikes: spike alerts (GET /api/v1/analytics/spikes) with their numbers explained in the reader's
// language, the messages behind them (masked by the server), their tickets, and a button that makes an incident of
// them. The list refreshes every 30 s and on live events (new tickets are what a burst brings), so a new alert
// arrives without reloading.
import { api, errorText } from './api.js';
import { clear, h, say } from './dom.js';
import { formatDateTime, lang, t } from './i18n.js';
import { subscribe } from './live.js';

const REFRESH_MS = 30_000;
const state = { container: null, alerts: null, seen: null, timer: null, unsubscribe: null, pending: null };

async function makeIncident(a, button, status) {
  button.disabled = true;
  try {
    const r = await api(`/analytics/spikes/${a.id}/incident`, { method: 'POST', body: {} });
    a.incident = r.incident;
    draw();
  } catch (err) {
    button.disabled = false;
    say(status, errorText(err), 'error');
  }
}

function alertCard(a) {
  const status = h('p', { class: 'status', role: 'status', hidden: true });
  const isNew = state.seen && !state.seen.has(a.id);
  const action = a.incident
    ? h('a', { href: `#/staff/incident/${encodeURIComponent(a.incident)}` }, t('spikes.made', { id: a.incident }))
    : h('button', { type: 'button' }, t('spikes.make'));
  if (!a.incident) action.addEventListener('click', () => makeIncident(a, action, status));
  return h(
    'article',
    { class: `card spike${isNew ? ' spike-new' : ''}` },
    h('h3', {}, `${a.category_name} — ${a.district_name}`, isNew ? h('span', { class: 'badge' }, ` ${t('spikes.new')}`) : ''),
    h('p', {}, t('spikes.window', { from: formatDateTime(a.window.from), to: formatDateTime(a.window.to) })),
    h(
      'p',
      { class: 'spike-numbers' },
      t('spikes.numbers', { observed: a.observed, expected: a.expected, ratio: a.ratio, p: a.p_value.toExponential(1) }),
    ),
    h('p', {}, a.explanation),
    a.tickets.length ? h('p', {}, t('spikes.tickets', { list: a.tickets.join(', ') })) : '',
    h(
      'details',
      {},
      h('summary', {}, t('spikes.messages', { n: a.messages.length })),
      h('ul', {}, ...a.messages.map((m) => h('li', {}, h('small', {}, `${formatDateTime(m.received_at)} · ${m.channel} `), m.text))),
    ),
    action,
    status,
  );
}

function draw() {
  const box = state.container?.querySelector('.spikes-list');
  if (!box || !state.alerts) return;
  clear(box);
  if (!state.alerts.length) return box.append(h('p', { class: 'lead' }, t('spikes.none')));
  box.append(...state.alerts.map(alertCard));
}

async function load() {
  const box = state.container?.querySelector('.spikes-list');
  if (!box) return;
  try {
    const r = await api(`/analytics/spikes?lang=${lang()}`);
    if (state.alerts) state.seen = new Set(state.alerts.map((a) => a.id));
    state.alerts = r.alerts;
    draw();
  } catch (err) {
    clear(box);
    const status = h('p', { class: 'status', role: 'status' });
    box.append(status);
    say(status, errorText(err), 'error');
  }
}

export async function render(container) {
  hide();
  state.container = container;
  clear(container);
  const list = h('div', { class: 'spikes-list', 'aria-live': 'polite' }, h('p', { class: 'status', i18n: 'spikes.loading' }));
  // Marked with its key, so a change of language retranslates the lead (relocalize only reloads the list).
  container.append(h('p', { class: 'lead', i18n: 'spikes.lead' }), list);
  state.timer = setInterval(load, REFRESH_MS);
  state.unsubscribe = subscribe(() => {
    // Many events come together (a burst): one refresh for them.
    clearTimeout(state.pending);
    state.pending = setTimeout(load, 1500);
  });
  await load();
}

export function relocalize() {
  if (state.container) load();
}

export function hide() {
  clearInterval(state.timer);
  clearTimeout(state.pending);
  state.unsubscribe?.();
  state.timer = null;
  state.unsubscribe = null;
  state.container = null;
}
