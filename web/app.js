// Entry point: the language switch, the hash router (#/appeal, #/track/NUMBER, #/staff/...) and the start-up.
import { loadReference } from './api.js';
import { $ } from './dom.js';
import { applyI18n, lang, onLangChange, setLang } from './i18n.js';
import { initAppeal, initTrack, relocalizeResident, showTrack } from './resident.js';
import { initStaff, relocalizeStaff, restoreSession, showStaff } from './staff.js';

const VIEWS = { appeal: '#view-appeal', track: '#view-track', staff: '#view-staff' };

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
  });
  $('[data-skip]').addEventListener('click', (e) => {
    e.preventDefault();
    $('#main').focus();
  });
  initAppeal();
  initTrack();
  initStaff();
  loadReference();
  restoreSession();
  window.addEventListener('hashchange', () => route({ focus: true }));
  route();
  document.body.dataset.ready = 'true';
}

start();
