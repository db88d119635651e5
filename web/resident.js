// The resident's part: file an appeal and get a receipt; look an appeal up by its number.
import { api, errorText, idempotencyKey, loadReference, names } from './api.js';
import { clearProblems, geolocate, photoProblem, previewPhotos, readAppeal, showProblem } from './appeal-form.js';
import { $, clear, facts, h, say, statusBadge } from './dom.js';
import { formatDateTime, LANGS, lang, t } from './i18n.js';

export const TICKET_NUMBER = /^[A-Z]{2,5}-\d{4}-\d{6,}$/;

/** The body of a receipt for a filed appeal (also used by the operator's 109 form). */
export function receiptBody(r) {
  if (!r.number) return [h('p', { i18n: 'receipt.pending' })];
  return [
    h('p', { class: 'receipt-label', i18n: 'receipt.number' }),
    h('p', { class: 'big-number', 'data-number': '' }, r.number),
    h('p', { class: 'hint', i18n: 'receipt.keep' }),
    r.duplicate ? h('p', { class: 'note', i18n: 'receipt.duplicate' }) : null,
    facts([
      ['receipt.category', names.category(r.category) ?? t('unknown')],
      ['receipt.organisation', names.organisation(r.organisation) ?? t('unknown')],
      ['track.district', names.district(r.district)],
      ['receipt.deadline', formatDateTime(r.deadline)],
    ]),
    r.acknowledgement
      ? h(
          'div',
          { class: 'ack' },
          h('h3', { i18n: 'receipt.message' }),
          h('p', { 'data-ack': '', lang: LANGS.includes(r.language) ? r.language : null }, r.acknowledgement),
        )
      : null,
  ];
}

const appeal = { receipt: null, key: idempotencyKey(), busy: false };

function renderReceipt() {
  const box = $('#receipt');
  if (!appeal.receipt) return;
  clear($('[data-body]', box)).append(...receiptBody(appeal.receipt).filter(Boolean));
  const link = $('[data-track-link]', box);
  link.hidden = !appeal.receipt.number;
  if (appeal.receipt.number) link.href = `#/track/${encodeURIComponent(appeal.receipt.number)}`;
}

export function initAppeal() {
  const form = $('#appeal-form');
  const status = $('[data-status]', form);
  const button = $('[type=submit]', form);
  const photos = form.elements.namedItem('photos');
  const receipt = $('#receipt');

  // A retried or double-clicked submission carries the same key and files one appeal; an edit makes a new one.
  form.addEventListener('input', () => {
    appeal.key = idempotencyKey();
  });
  photos.addEventListener('change', () => {
    clearProblems(form, status);
    const problem = photoProblem([...(photos.files ?? [])]);
    if (problem) {
      photos.setAttribute('aria-invalid', 'true');
      say(status, problem, 'error');
    }
    previewPhotos(photos, $('[data-thumbs]', form), $('[data-photos-summary]', form));
  });
  $('[data-geolocate]', form).addEventListener('click', () => geolocate(form, status));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (appeal.busy) return;
    clearProblems(form, status);
    appeal.busy = true;
    button.disabled = true;
    button.textContent = t('appeal.sending');
    try {
      const body = await readAppeal(form);
      const [r] = await Promise.all([api('/appeals', { body, headers: { 'idempotency-key': appeal.key } }), loadReference()]);
      appeal.receipt = r;
      appeal.key = idempotencyKey();
      form.reset();
      previewPhotos(photos, $('[data-thumbs]', form), $('[data-photos-summary]', form));
      renderReceipt();
      form.hidden = true;
      receipt.hidden = false;
      receipt.focus();
    } catch (err) {
      showProblem(form, status, err);
    } finally {
      appeal.busy = false;
      button.disabled = false;
      button.textContent = t('appeal.submit');
    }
  });

  $('[data-new]', receipt).addEventListener('click', () => {
    receipt.hidden = true;
    form.hidden = false;
    form.elements.namedItem('text').focus();
  });
}

// ── Tracking ───────────────────────────────────────────────────────────────────────────────────────────────

const track = { number: '', result: null };

function renderTrack() {
  const out = clear($('#track-result'));
  const a = track.result;
  if (!a) return;
  const replies = a.replies ?? [];
  out.append(
    h(
      'article',
      { class: 'card', 'aria-labelledby': 'track-number' },
      h('h2', { id: 'track-number', 'data-number': '' }, a.number),
      facts([
        ['track.status', statusBadge(a.status)],
        ['receipt.category', names.category(a.category) ?? t('unknown')],
        ['receipt.organisation', names.organisation(a.organisation) ?? t('unknown')],
        ['track.district', names.district(a.district)],
        ['track.created', formatDateTime(a.created_at)],
        ['track.updated', formatDateTime(a.updated_at)],
        ['receipt.deadline', formatDateTime(a.deadline)],
      ]),
      h('h3', { i18n: 'track.replies' }),
      replies.length
        ? h(
            'ol',
            { class: 'replies' },
            replies.map((r) => h('li', {}, h('p', { class: 'reply-text' }, r.text), h('p', { class: 'meta' }, formatDateTime(r.at)))),
          )
        : h('p', { class: 'muted', i18n: 'track.no_replies' }),
    ),
  );
}

/** Shows the appeal with this number (from the route #/track/NUMBER); an empty number just shows the form. */
export async function showTrack(number) {
  const form = $('#track-form');
  const status = $('#view-track [data-status]');
  const input = form.elements.namedItem('number');
  const wanted = (number ?? '').trim().toUpperCase();
  if (wanted) input.value = wanted;
  say(status, '');
  input.removeAttribute('aria-invalid');
  if (!wanted) {
    track.result = null;
    return renderTrack();
  }
  if (!TICKET_NUMBER.test(wanted)) {
    input.setAttribute('aria-invalid', 'true');
    return say(status, t('track.bad_number'), 'error');
  }
  track.number = wanted;
  clear($('#track-result')).append(h('p', { class: 'muted', i18n: 'loading' }));
  try {
    const [a] = await Promise.all([api(`/appeals/${encodeURIComponent(wanted)}?lang=${lang()}`), loadReference()]);
    if (track.number !== wanted) return; // a newer look-up started meanwhile
    track.result = a;
    renderTrack();
  } catch (err) {
    track.result = null;
    clear($('#track-result'));
    say(status, err.code === 'not_found' ? t('track.not_found') : errorText(err), 'error');
  }
}

export function initTrack() {
  const form = $('#track-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = form.elements.namedItem('number');
    const n = input.value.trim().toUpperCase();
    if (!n) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return say($('#view-track [data-status]'), t('track.bad_number'), 'error');
    }
    const target = `#/track/${encodeURIComponent(n)}`;
    if (location.hash === target) showTrack(n);
    else location.hash = target;
  });
}

/** After a change of language: names in the new language (the replies stay in the resident's own). */
export function relocalizeResident() {
  renderReceipt();
  if (track.result) showTrack(track.result.number);
}
