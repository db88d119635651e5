// The resident's part: file an appeal and get a receipt with a private link; look an appeal up by its number —
// with the key kept on this device, the resident's own view and the loop after resolution (appeal-loop.js).
import { api, errorText, idempotencyKey, loadReference, names } from './api.js';
import { clearProblems, geolocate, mountPinPicker, photoProblem, previewPhotos, readAppeal, showProblem } from './appeal-form.js';
import { loopSection } from './appeal-loop.js';
import { $, clear, facts, h, say, statusBadge } from './dom.js';
import { formatDateTime, LANGS, lang, t } from './i18n.js';
import { keyFor, noteStatus, privateLink, remember, renderMyAppeals, splitKey } from './my-appeals.js';

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
  // The access key is given once: shown here as a private link, and kept on this device.
  const priv = $('[data-private]', box);
  const key = appeal.receipt.number && appeal.receipt.access_key;
  priv.hidden = !key;
  if (key) $('[data-link]', priv).value = privateLink(appeal.receipt.number, key);
  say($('[data-copied]', priv), '');
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
  // The map pin: a tap on the city map fills the coordinates (the map loads in the background).
  mountPinPicker(form);

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
      if (r.number && r.access_key) remember({ number: r.number, key: r.access_key, status: r.status, filed_at: r.created_at });
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

  $('[data-copy]', receipt).addEventListener('click', async () => {
    const input = $('[data-link]', receipt);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      say($('[data-copied]', receipt), t('receipt.private.copied'), 'ok');
    } catch {
      // No clipboard here (an insecure origin, or refused): the link is selected for the resident to copy.
      say($('[data-copied]', receipt), t('receipt.private.select'), 'info');
    }
  });

  $('[data-new]', receipt).addEventListener('click', () => {
    receipt.hidden = true;
    form.hidden = false;
    form.elements.namedItem('text').focus();
  });
}

// ── Tracking ───────────────────────────────────────────────────────────────────────────────────────────────

const track = { number: '', result: null, key: null };

/** The appeal as the centre gave it: the key holder's own view (with the loop) or the public one. */
function renderTrack() {
  const out = clear($('#track-result'));
  renderMyAppeals();
  const a = track.result;
  if (!a) return;
  const own = Array.isArray(a.conversation);
  const replies = a.replies ?? [];
  out.append(
    h(
      'article',
      { class: 'card', 'aria-labelledby': 'track-number', 'data-view': own ? 'own' : 'public' },
      h('h2', { id: 'track-number', 'data-number': '' }, a.number),
      facts([
        ['track.status', statusBadge(a.status)],
        ['receipt.category', names.category(a.category) ?? t('unknown')],
        ['receipt.organisation', names.organisation(a.organisation) ?? t('unknown')],
        ['track.district', names.district(a.district)],
        ['track.created', formatDateTime(a.created_at)],
        ['track.updated', formatDateTime(a.updated_at)],
        ['receipt.deadline', formatDateTime(a.deadline)],
        ['track.reopened', a.reopen_count ? String(a.reopen_count) : null],
      ]),
      own
        ? loopSection(a, track.key, {
            status: $('#view-track [data-status]'),
            redraw: (view) => shown(view),
            reload: () => lookUp(a.number).catch(() => null),
          })
        : [
            h('h3', { i18n: 'track.replies' }),
            replies.length
              ? h(
                  'ol',
                  { class: 'replies' },
                  replies.map((r) => h('li', {}, h('p', { class: 'reply-text' }, r.text), h('p', { class: 'meta' }, formatDateTime(r.at)))),
                )
              : h('p', { class: 'muted', i18n: 'track.no_replies' }),
            h('p', { class: 'hint', i18n: track.key ? 'track.key_rejected' : 'track.public_only' }),
          ],
    ),
  );
}

function shown(a) {
  track.result = a;
  if (Array.isArray(a.conversation)) noteStatus(a.number, a.status);
  renderTrack();
  return a;
}

/** Asks for the appeal with the key kept for it, if any; a key that no longer opens it falls back to the public view. */
async function lookUp(number) {
  const path = `/appeals/${encodeURIComponent(number)}?lang=${lang()}`;
  track.key = keyFor(number);
  let a;
  if (track.key) {
    try {
      a = await api(path, { headers: { 'x-appeal-key': track.key } });
    } catch (err) {
      if (err.code !== 'not_found') throw err;
    }
  }
  a ??= await api(path);
  if (track.number !== number) return null; // a newer look-up started meanwhile
  return shown(a);
}

/** Shows the appeal with this number (from the route #/track/NUMBER[?key=…]); an empty number just shows the form. */
export async function showTrack(route) {
  const form = $('#track-form');
  const status = $('#view-track [data-status]');
  const input = form.elements.namedItem('number');
  const { number: wanted, key } = splitKey(route);
  if (key && TICKET_NUMBER.test(wanted)) {
    // A private link: keep its key on this device and take it out of the address bar (and of shared screenshots).
    remember({ number: wanted, key });
    history.replaceState(null, '', `#/track/${encodeURIComponent(wanted)}`);
  }
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
    await Promise.all([lookUp(wanted), loadReference()]);
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
  renderMyAppeals();
}

/** After a change of language: names in the new language (the replies stay in the resident's own). */
export function relocalizeResident() {
  renderReceipt();
  if (track.result) showTrack(track.result.number);
  else renderMyAppeals();
}
