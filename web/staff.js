// The staff part: log in and out, the sections of the staff area (the inbox is console-list.js, the keyboard
// console-keys.js), and the operator's 109 call form.
import { ApiError, api, errorText, idempotencyKey, loadReference, session } from './api.js';
import { clearProblems, readAppeal, showProblem } from './appeal-form.js';
import { initKeys } from './console-keys.js';
import { initList, loadList, onListAuthLost } from './console-list.js';
import { $, clear, h, say } from './dom.js';
import { label, t } from './i18n.js';
import { onIncidentsAuthLost, rerenderIncidents, showIncident, showIncidents } from './incidents.js';
import { showLearning } from './learning.js';
import { receiptBody } from './resident.js';
import { onAuthLost, rerenderTicket, showTicket } from './ticket.js';

const state = { ready: null, route: [], phoneReceipt: null, phoneKey: idempotencyKey(), busy: false };
const SECTIONS = { list: '#staff-list', ticket: '#staff-ticket', phone: '#staff-phone', learning: '#staff-learning', incidents: '#staff-incidents' };

const canFilePhoneCalls = () => (session.user?.roles ?? []).some((r) => r === 'operator' || r === 'admin');
// Incidents are the centre's and the organisations' (officials follow what was addressed to them, ticket by ticket).
const canSeeIncidents = () => (session.user?.roles ?? []).some((r) => r !== 'official');
const canSeeLearning = () => (session.user?.roles ?? []).some((r) => r === 'operator' || r === 'supervisor' || r === 'admin');

/** Checks a token kept from earlier in this tab; a stale one is dropped. */
export function restoreSession() {
  state.ready ??= (async () => {
    if (!session.token) return;
    try {
      session.user = await api('/auth/me');
    } catch {
      session.token = null;
      session.user = null;
    }
  })();
  return state.ready;
}

function loggedOut() {
  session.token = null;
  session.user = null;
  showStaff(state.route);
}

/** Shows the staff view for the route #/staff, #/staff/ticket/NUMBER or #/staff/phone. */
export async function showStaff(route = []) {
  state.route = route;
  await restoreSession();
  const user = session.user;
  $('#login-form').hidden = Boolean(user);
  $('#staff-area').hidden = !user;
  if (!user) return;
  $('[data-who]').textContent = t('staff.who', { name: user.name, roles: user.roles.map((r) => label('role', r)).join(', ') });
  $('[data-phone-link]').hidden = !canFilePhoneCalls();
  $('[data-learning-link]').hidden = !canSeeLearning();
  $('[data-incidents-link]').hidden = !canSeeIncidents();
  const [sub, arg] = route;
  const which =
    sub === 'ticket' && arg
      ? 'ticket'
      : sub === 'phone' && canFilePhoneCalls()
        ? 'phone'
        : sub === 'learning' && canSeeLearning()
          ? 'learning'
          : (sub === 'incidents' || (sub === 'incident' && arg)) && canSeeIncidents()
            ? 'incidents'
            : 'list';
  for (const [k, sel] of Object.entries(SECTIONS)) $(sel).hidden = k !== which;
  for (const a of document.querySelectorAll('[data-sub]')) {
    if (a.dataset.sub === which) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (which === 'list') await loadList();
  if (which === 'ticket') await showTicket(decodeURIComponent(arg));
  if (which === 'learning') await showLearning($('#staff-learning'), loggedOut);
  if (which === 'incidents') await (sub === 'incident' ? showIncident(decodeURIComponent(arg)) : showIncidents());
}

// ── 109 phone call ─────────────────────────────────────────────────────────────────────────────────────────

function renderPhoneReceipt() {
  const r = state.phoneReceipt;
  if (!r) return;
  const open = r.number
    ? h('p', {}, h('a', { class: 'button primary', href: `#/staff/ticket/${encodeURIComponent(r.number)}` }, t('ticket.title', { number: r.number })))
    : null;
  clear($('#phone-receipt')).append(...[h('h2', { i18n: 'receipt.title' }), ...receiptBody(r), open].filter(Boolean));
}

function initPhone() {
  const form = $('#phone-form');
  const status = $('[data-status]', form);
  const receipt = $('#phone-receipt');
  const button = $('[type=submit]', form);
  form.addEventListener('input', () => {
    state.phoneKey = idempotencyKey();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (state.busy) return;
    clearProblems(form, status);
    state.busy = true;
    button.disabled = true;
    try {
      const body = await readAppeal(form);
      const [r] = await Promise.all([api('/phone-appeals', { body, headers: { 'idempotency-key': state.phoneKey } }), loadReference()]);
      state.phoneKey = idempotencyKey();
      form.reset();
      state.phoneReceipt = r;
      renderPhoneReceipt();
      receipt.hidden = false;
      receipt.focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return loggedOut();
      showProblem(form, status, err);
    } finally {
      state.busy = false;
      button.disabled = false;
    }
  });
}

// ── Login and logout ───────────────────────────────────────────────────────────────────────────────────────

export function initStaff() {
  const form = $('#login-form');
  const status = $('[data-status]', form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form, status);
    const email = form.elements.namedItem('email');
    const password = form.elements.namedItem('password');
    for (const el of [email, password]) if (!el.value.trim()) el.setAttribute('aria-invalid', 'true');
    if (!email.value.trim() || !password.value) return say(status, t('error.required'), 'error');
    try {
      const r = await api('/auth/login', { body: { email: email.value.trim(), password: password.value } });
      session.token = r.token;
      session.user = r.user;
      form.reset();
      await showStaff(state.route);
      $('#main').focus();
    } catch (err) {
      say(status, err instanceof ApiError && (err.status === 401 || err.status === 400) ? t('login.failed') : errorText(err), 'error');
    }
  });
  $('[data-logout]').addEventListener('click', async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => null);
    loggedOut();
    $('#l-email').focus();
  });
  initList();
  onListAuthLost(loggedOut);
  initKeys();
  onAuthLost(loggedOut);
  onIncidentsAuthLost(loggedOut);
  initPhone();
}

/** After a change of language: the staff user's lines and data views in the new language. */
export function relocalizeStaff() {
  if (!session.user || $('#staff-area').hidden) return;
  $('[data-who]').textContent = t('staff.who', { name: session.user.name, roles: session.user.roles.map((r) => label('role', r)).join(', ') });
  if (!$('#staff-list').hidden) loadList();
  renderPhoneReceipt();
  rerenderTicket();
  rerenderIncidents();
}
