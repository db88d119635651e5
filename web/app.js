// Entry point: the language switch, the hash router (#/appeal, #/track/NUMBER, #/staff/...) and the start-up.

import { initAdmin, relocalizeAdmin, showAdmin, syncAdminLink } from './admin.js';
import { loadReference } from './api.js';
import { $ } from './dom.js';
import { initHeader } from './header.js';
import { applyI18n, lang, onLangChange, setLang } from './i18n.js';
import { initAppeal, initTrack, relocalizeResident, showTrack } from './resident.js';
import { initStaff, relocalizeStaff, restoreSession, showStaff } from './staff.js';

const VIEWS = {
  appeal: '#view-appeal',
  track: '#view-track',
  staff: '#view-staff',
  public: '#view-public',
  situation: '#view-situation',
  admin: '#view-admin',
  analytics: '#view-analytics',
  polls: '#view-polls',
};
// The public map and its map module load only when someone opens it.
const publicScreen = () => import('./public.js');
// So does the situation centre (its map and charts load after it, on their own).
let situation = null;
const situationScreen = () => (situation ??= import('./situation.js'));
// And the analytics, whose tabs load one by one as they are opened.
let analytics = null;
const analyticsScreen = () => (analytics ??= import('./analytics.js'));
// And the residents' polls.
let polls = null;
const pollsScreen = () => (polls ??= import('./polls.js'));

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [view, ...rest] = parts;
  return VIEWS[view] ? { view, rest } : { view: 'appeal', rest: [] };
}

function route({ focus } = { focus: false }) {
  // Anchors that are not routes (none today besides the skip link, handled below) leave the view as it is.
  if (location.hash && !location.hash.startsWith('#/')) return;
  const { view, rest } = parseRoute();
  for (const [name, sel] of Object.entries(VIEWS)) $(sel).hidden = name !== view;
  for (const a of document.querySelectorAll('[data-route]')) {
    if (a.dataset.route === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view === 'track') showTrack(decodeURIComponent(rest[0] ?? ''));
  if (view === 'staff') showStaff(rest);
  if (view === 'situation') situationScreen().then((m) => m.showSituation(restoreSession));
  else situation?.then((m) => m.hideSituation());
  if (view === 'public') publicScreen().then((m) => m.showPublic());
  if (view === 'admin') showAdmin(rest, restoreSession);
  if (view === 'analytics') analyticsScreen().then((m) => m.showAnalytics(rest, restoreSession));
  else analytics?.then((m) => m.hideAnalytics());
  if (view === 'polls') pollsScreen().then((m) => m.showPolls());
  else polls?.then((m) => m.hidePolls());
  if (focus) $('#main').focus({ preventScroll: false });
}

function markLanguage() {
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
}

function start() {
  document.documentElement.lang = lang();
  applyI18n(document);
  markLanguage();
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLang(b.dataset.lang));
  onLangChange(() => {
    markLanguage();
    relocalizeResident();
    relocalizeStaff();
    relocalizeAdmin();
    situation?.then((m) => m.relocalizeSituation());
    analytics?.then((m) => m.relocalizeAnalytics());
    polls?.then((m) => m.relocalizePolls());
    if (!$('#view-public').hidden) publicScreen().then((m) => m.relocalizePublic());
  });
  $('[data-skip]').addEventListener('click', (e) => {
    e.preventDefault();
    $('#main').focus();
  });
  initAppeal();
  initTrack();
  initStaff();
  loadReference();
  restoreSession().then(syncAdminLink);
  initAdmin();
  initHeader();
  window.addEventListener('hashchange', () => route({ focus: true }));
  route();
  document.body.dataset.ready = 'true';
}

start();
