// #/analytics/TAB: the city's running survey — volumes and sentiment, topics, spikes, opinion on a question, polls,
// reports. A shell of tabs; each tab is a module of its own (web/analytics-<tab>.js exporting `render(container)`
// and, optionally, `relocalize()` and `hide()`), loaded only when it is opened, with its strings in
// lang/areas/analytics-<tab>.js.
import { session } from './api.js';
import { clear, h } from './dom.js';
import { t } from './i18n.js';

/** One line per tab: its id (the route and the label key `analytics.tab.<id>`) and how to load it. */
const TABS = [
  { id: 'volume', load: () => import('./analytics-volume.js') },
  { id: 'topics', load: () => import('./analytics-topics.js') },
  { id: 'spikes', load: () => import('./analytics-spikes.js') },
  { id: 'opinion', load: () => import('./analytics-opinion.js') },
  { id: 'polls', load: () => import('./analytics-polls.js') },
  { id: 'reports', load: () => import('./analytics-reports.js') },
];

const ALLOWED = ['admin', 'supervisor', 'operator', 'official'];
const state = { tab: null, module: null };
const root = () => document.querySelector('#view-analytics');

export async function showAnalytics(rest, restoreSession) {
  await restoreSession();
  const el = clear(root());
  el.append(h('h1', { id: 'analytics-h', i18n: 'analytics.title' }));
  const user = session.user;
  if (!user) {
    el.append(h('p', { class: 'lead' }, t('analytics.login'), ' ', h('a', { href: '#/staff', i18n: 'analytics.login.link' })));
    return;
  }
  if (!user.roles.some((r) => ALLOWED.includes(r))) return el.append(h('p', { class: 'lead', i18n: 'analytics.forbidden' }));
  const tab = TABS.find((x) => x.id === rest[0]) ?? TABS[0];
  el.append(
    h(
      'nav',
      { class: 'subnav', 'aria-label': t('analytics.tabs') },
      ...TABS.map((x) => h('a', { href: `#/analytics/${x.id}`, i18n: `analytics.tab.${x.id}`, ...(x === tab ? { 'aria-current': 'page' } : {}) })),
    ),
  );
  const body = h('div', { class: 'analytics-tab' });
  el.append(body);
  if (state.tab !== tab) state.module?.hide?.();
  state.tab = tab;
  state.module = await tab.load();
  await state.module.render(body);
}

export function hideAnalytics() {
  state.module?.hide?.();
  state.tab = null;
  state.module = null;
}

export function relocalizeAnalytics() {
  state.module?.relocalize?.();
}
