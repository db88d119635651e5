// The admin screens (#/admin/<pane>): staff accounts, the city's configuration section by section, the watchlist and
// the channels' state. Shown to admins only; the server checks every call as well.

import { showSection } from './admin-config.js';
import { showChannels, showWatchlist } from './admin-misc.js';
import { showTemplates } from './admin-templates.js';
import { showUsers } from './admin-users.js';
import { session } from './api.js';
import { $, clear, h } from './dom.js';
import { t } from './i18n.js';

const PANES = ['users', 'organisations', 'categories', 'routing', 'sla', 'calendar', 'templates', 'watchlist', 'channels'];
const isAdmin = () => (session.user?.roles ?? []).includes('admin');
let shown = null;

/** The nav link follows who is logged in: it is watched on the staff area, which login and logout show and hide. */
export function initAdmin() {
  const area = $('#staff-area');
  if (area) new MutationObserver(syncAdminLink).observe(area, { attributes: true, attributeFilter: ['hidden'] });
}

export function syncAdminLink() {
  const a = $('[data-admin-link]');
  if (a) a.hidden = !isAdmin();
}

export async function showAdmin(rest, restoreSession) {
  await restoreSession();
  syncAdminLink();
  const root = clear($('#view-admin'));
  root.append(h('h1', { id: 'admin-h', i18n: 'admin.title' }));
  if (!session.user) {
    root.append(h('p', { class: 'lead' }, h('a', { href: '#/staff', i18n: 'admin.login' })));
    return;
  }
  if (!isAdmin()) {
    root.append(h('p', { class: 'form-status', 'data-kind': 'error', role: 'alert', i18n: 'admin.forbidden' }));
    return;
  }
  const pane = PANES.includes(rest[0]) ? rest[0] : 'users';
  const nav = h(
    'nav',
    { class: 'subnav admin-nav', 'data-i18n-attr': 'aria-label:admin.sections', 'aria-label': t('admin.sections') },
    PANES.map((p) => h('a', { href: `#/admin/${p}`, 'aria-current': p === pane ? 'page' : null, i18n: `admin.pane.${p}` })),
  );
  const body = h('div', { class: 'admin-pane', 'aria-live': 'polite' });
  root.append(nav, body);
  shown = { pane, body, rest };
  await render();
}

async function render() {
  const { pane, body } = shown;
  clear(body);
  if (pane === 'users') return showUsers(body);
  if (pane === 'templates') return showTemplates(body);
  if (pane === 'watchlist') return showWatchlist(body);
  if (pane === 'channels') return showChannels(body);
  return showSection(body, pane);
}

/** Texts made with t() follow the language by drawing the pane again. */
export function relocalizeAdmin() {
  if (!shown || $('#view-admin').hidden || !isAdmin()) return;
  render();
}
