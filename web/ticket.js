// One ticket for staff: loads it, lays out its card (sections in ticket-sections.js, internal notes in ticket-notes.js)
// and runs the actions the user may take, each with the fields it needs (a question, a reason, a note and proof photos).
import { ApiError, api, categories, errorText, loadReference, organisations, session } from './api.js';
import { clearProblems, FormProblem, showProblem } from './appeal-form.js';
import { districts, listHash } from './console-list.js';
import { correctionsSection, replySection, TYPED_HERE } from './console-reply.js';
import { $, clear, h, say, statusBadge } from './dom.js';
import { formatDateTime, label, lang, localName, t } from './i18n.js';
import { subscribe } from './live.js';
import { incidentSection, TYPED_INCIDENT } from './ticket-incident.js';
import { notesSection, photoField, readPhotos } from './ticket-notes.js';
import { conversation, deliveries, details, history, routing, section, triage } from './ticket-sections.js';

/** Actions that need a written reason (the API refuses them without one); resolve needs a note instead. */
const NEEDS_REASON = new Set(['reject', 'reopen', 'mark_duplicate', 'hand_back']);
/** The text field each action asks for: its input name and label. */
const TEXT_FIELD = { ask: ['question', 'action.question'], resolve: ['note', 'action.note'], hand_back: ['reason', 'action.handback_reason'] };
const TYPED = ['act-reason', 'act-question', 'act-note', 'act-organisation', 'act-category', 'note-text', ...TYPED_HERE, ...TYPED_INCIDENT];

const state = { number: null, ticket: null, pending: null, notice: null, districts: [], live: null, acting: false, onAuthLost: () => {} };

export function onAuthLost(f) {
  state.onAuthLost = f;
}

const root = () => $('#staff-ticket');
/** Below this width the card is one column (staff.css, .ticket-grid). */
const ONE_COLUMN = matchMedia('(max-width: 899.98px)');

export async function showTicket(number) {
  Object.assign(state, { number, ticket: null, pending: null, notice: null });
  clear(root()).append(h('p', { class: 'muted', i18n: 'loading' }));
  state.districts = await districts();
  await reload();
  // Live: when someone else changes this ticket, the card shows it without a reload, keeping what is being typed.
  state.live ??= subscribe((e) => {
    if (e.type === 'ticket' && e.number === state.number && !root().hidden) refresh(state.notice);
  });
}

async function reload() {
  if (await fetchTicket()) render();
}

/** The ticket into `state`; false when the card must not be drawn (another ticket was opened, or the session ended). */
async function fetchTicket() {
  const number = state.number;
  try {
    const [tk] = await Promise.all([api(`/tickets/${encodeURIComponent(number)}`), loadReference()]);
    if (state.number !== number) return false;
    // An answer overtaken by a newer one (the ticket changed while it travelled) would draw the past.
    if (state.ticket?.number === tk.number && tk.version < state.ticket.version) return false;
    state.ticket = tk;
    if (state.pending && !tk.actions.includes(state.pending)) state.pending = null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      state.onAuthLost();
      return false;
    }
    state.ticket = null;
    state.notice = { text: errorText(err), kind: 'error' };
  }
  return true;
}

/** After a change of language; what was typed into an open action form is kept. */
export function rerenderTicket() {
  if (!state.number || root().hidden) return;
  const typed = TYPED.map((id) => [id, document.getElementById(id)?.value]);
  render();
  for (const [id, value] of typed) {
    const el = document.getElementById(id);
    if (el && value !== undefined) el.value = value;
  }
}

function actionForm(tk, action) {
  const fields = [];
  if (action === 'assign') {
    const options = organisations()
      .filter((o) => o.id !== tk.organisation?.id)
      .map((o) => ({ id: o.id, name: localName(o.names) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    fields.push(
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'act-organisation', i18n: 'action.organisation' }),
        h(
          'select',
          { id: 'act-organisation', name: 'organisation', required: true },
          options.map((o) => h('option', { value: o.id }, o.name)),
        ),
      ),
      // Correcting the category goes with assigning: the deadlines follow the category.
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'act-category', i18n: 'action.category' }),
        h(
          'select',
          { id: 'act-category', name: 'category' },
          tk.category ? null : h('option', { value: '', selected: true }, '—'),
          categories()
            .map((c) => ({ code: c.code, name: localName(c.names) }))
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((c) => h('option', { value: c.code, ...(c.code === tk.category?.code ? { selected: true } : {}) }, c.name)),
        ),
      ),
    );
  }
  if (NEEDS_REASON.has(action) || TEXT_FIELD[action]) {
    const [name, labelKey] = TEXT_FIELD[action] ?? ['reason', 'action.reason'];
    fields.push(
      h(
        'div',
        { class: 'field' },
        h('label', { for: `act-${name}`, i18n: labelKey }),
        h('textarea', { id: `act-${name}`, name, rows: 3, maxlength: 2000, required: true }),
      ),
    );
  }
  if (action === 'resolve') {
    fields.push(photoField('act-proof', 'proof', 'action.proof'));
    if (tk.resolve_needs_proof) fields.push(h('p', { class: 'hint', i18n: 'action.proof_required' }));
  }
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'action-form', 'data-action-form': action, novalidate: true },
    h('h3', {}, t(`action.${action}`)),
    ...fields,
    status,
    h(
      'div',
      { class: 'button-row' },
      h('button', { type: 'submit', class: action === 'reject' ? 'danger' : 'primary', i18n: 'action.confirm' }),
      h('button', { type: 'button', class: 'secondary', i18n: 'action.cancel', on: { click: () => choose(null) } }),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(tk, action, form, status);
  });
  return form;
}

/** An action being sent: a live refresh meanwhile does not redraw the card under it (its own reload will). */
async function act(tk, action, form, status) {
  state.acting = true;
  try {
    await send(tk, action, form, status);
  } finally {
    state.acting = false;
  }
}

async function send(tk, action, form, status) {
  clearProblems(form, status);
  const body = { action, version: tk.version };
  const org = form.elements.namedItem('organisation');
  if (org) body.organisation = org.value;
  const category = form.elements.namedItem('category');
  if (category?.value && category.value !== tk.category?.code) body.category = category.value;
  for (const name of ['reason', 'question', 'note']) {
    const el = form.elements.namedItem(name);
    if (!el) continue;
    body[name] = el.value.trim();
    if (!body[name]) return showProblem(form, status, new FormProblem(name, t('error.required')));
  }
  try {
    const proof = await readPhotos(form.elements.namedItem('proof'));
    if (proof.length) body.proof = proof;
    else if (action === 'resolve' && tk.resolve_needs_proof) throw new FormProblem('proof', t('action.proof_required'));
  } catch (err) {
    return showProblem(form, status, err);
  }
  for (const b of form.querySelectorAll('button')) b.disabled = true;
  try {
    const updated = await api(`/tickets/${encodeURIComponent(tk.number)}/actions`, { body });
    state.pending = null;
    state.notice = { text: t('action.done', { status: label('status', updated.status) }), kind: 'ok' };
    await reload();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return state.onAuthLost();
    if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'invalid_transition')) {
      state.notice = { text: errorText(err), kind: 'error' };
      return reload();
    }
    for (const b of form.querySelectorAll('button')) b.disabled = false;
    showProblem(form, status, err);
  }
}

/** After a note is saved: the card again with the new note, and what was typed in an open action form kept. */
async function afterNote(notice) {
  await refresh(
    notice,
    TYPED.filter((id) => id !== 'note-text'),
  );
}

/** The card again, with the `keep` fields' typed values, and the focus and caret where they were. */
async function refresh(notice, keep = TYPED) {
  state.notice = notice;
  if (!(await fetchTicket()) || state.acting) return;
  // What is typed and chosen is read only now, just before the card is redrawn: the user goes on working while the
  // ticket is fetched, and a photo picked in that time must not be lost.
  const typed = keep.map((id) => [id, document.getElementById(id)?.value]);
  // Photos chosen but not yet sent stay chosen too (a FileList can be handed to the new input).
  const chosen = [...root().querySelectorAll('input[type=file]')].filter((i) => i.id && i.files?.length).map((i) => [i.id, i.files]);
  const active = document.activeElement;
  const focus = active?.id && root().contains(active) ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
  render();
  for (const [id, value] of typed) {
    const el = document.getElementById(id);
    if (el && value !== undefined) {
      if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === value)) el.dataset.pending = value;
      el.value = value;
    }
  }
  for (const [id, files] of chosen) {
    const input = document.getElementById(id);
    if (!input) continue;
    input.files = files;
    input.dispatchEvent(new Event('change'));
  }
  const el = focus && document.getElementById(focus.id);
  if (el) {
    el.focus({ preventScroll: true });
    if (typeof focus.start === 'number') el.setSelectionRange?.(focus.start, focus.end);
  }
}

function choose(action) {
  state.pending = action;
  state.notice = null;
  render();
  const form = $('[data-action-form]', root());
  const target = form ? $('select, textarea, button', form) : $(`[data-action]`, root());
  target?.focus();
}

function actions(tk) {
  const allowed = tk.actions ?? [];
  const buttons = allowed.map((a) =>
    h(
      'button',
      {
        type: 'button',
        class: a === 'reject' ? 'danger' : 'secondary',
        'data-action': a,
        'aria-pressed': String(state.pending === a),
        on: { click: () => choose(a) },
      },
      t(`action.${a}`),
    ),
  );
  return section(
    't-actions',
    'ticket.actions',
    allowed.length ? h('div', { class: 'button-row' }, buttons) : h('p', { class: 'muted', i18n: 'ticket.no_actions' }),
    state.pending ? actionForm(tk, state.pending) : null,
  );
}

/** The deadline under the number, in the operator's terms said by the server (the same as in the details). */
function due(tk) {
  const view = tk.deadline_view;
  return h(
    'p',
    { class: 'ticket-due', 'data-due': view?.state ?? '' },
    h('strong', { i18n: 'ticket.due' }),
    ' ',
    formatDateTime(tk.deadline),
    view ? h('span', { class: `badge deadline-${view.state}` }, view.operator[lang()] ?? view.operator.ru) : null,
  );
}

/**
 * Where the Actions go. An executor, and anyone on a one-column screen, has them first, right under the number,
 * status and deadline; otherwise they head the second column. The section is moved in the page rather than by CSS
 * `order`, so a screen reader meets it where the eye does; on a change of width it moves (with what is typed in it).
 */
function placeActions() {
  const actionsSection = $('#t-actions', root())?.closest('section');
  if (!actionsSection) return;
  const first = (session.user?.roles ?? []).includes('executor') || ONE_COLUMN.matches;
  const col = $(first ? '[data-col="main"]' : '[data-col="side"]', root());
  if (col.firstElementChild === actionsSection) return;
  const active = actionsSection.contains(document.activeElement) ? document.activeElement : null;
  col.prepend(actionsSection);
  active?.focus({ preventScroll: true });
}
ONE_COLUMN.addEventListener('change', placeActions);

function render() {
  const el = clear(root());
  const tk = state.ticket;
  const notice = h('p', { class: 'form-status', role: 'status', 'data-notice': '', hidden: true });
  if (state.notice) say(notice, state.notice.text, state.notice.kind);
  el.append(h('p', {}, h('a', { href: listHash(), class: 'back', i18n: 'ticket.back' })));
  if (!tk) return el.append(notice);
  el.append(
    h('div', { class: 'title-row' }, h('h1', { 'data-number': '' }, t('ticket.title', { number: tk.number })), statusBadge(tk.status)),
    due(tk),
    notice,
    h(
      'div',
      { class: 'ticket-grid' },
      h(
        'div',
        { class: 'col', 'data-col': 'main' },
        section('t-details', 'ticket.details', details(tk)),
        conversation(tk),
        notesSection(tk, { reload: afterNote, onAuthLost: () => state.onAuthLost() }),
      ),
      h(
        'div',
        { class: 'col', 'data-col': 'side' },
        actions(tk),
        incidentSection(tk, { done: afterNote, reload, onAuthLost: () => state.onAuthLost() }),
        replySection(tk, { done: afterNote, onAuthLost: () => state.onAuthLost() }),
        correctionsSection(tk, { done: afterNote, onAuthLost: () => state.onAuthLost(), districts: state.districts }),
        triage(tk),
        routing(tk),
        deliveries(tk),
        history(tk),
      ),
    ),
  );
  placeActions();
}
