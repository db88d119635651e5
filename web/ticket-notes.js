// The internal notes on a staff ticket card: the organisation's comments, photos from the site, the proof of a fix,
// the question asked and the reason for a hand-back, with a form to add a comment or photos. Notes are staff-only;
// their photos are fetched with the staff token and shown from blob: URLs. Every text goes in as text, never HTML.
import { ApiError, api, session } from './api.js';
import { clearProblems, FormProblem, showProblem } from './appeal-form.js';
import { h } from './dom.js';
import { formatDateTime, label, t } from './i18n.js';
import { section } from './ticket-sections.js';

const MAX_PHOTOS = 5;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const BY_EXTENSION = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heic: 'image/heic' };
const TYPES = new Set(Object.values(BY_EXTENSION));

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The chosen files of a file input as API photos; a FormProblem names the field when one does not fit. */
export async function readPhotos(input) {
  const files = input?.files ? [...input.files] : [];
  if (files.length > MAX_PHOTOS) throw new FormProblem(input.name, t('photos.too_many'));
  const out = [];
  for (const f of files) {
    const type = TYPES.has(f.type) ? f.type : BY_EXTENSION[f.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!type) throw new FormProblem(input.name, t('photos.bad_type', { name: f.name }));
    if (f.size > MAX_PHOTO_BYTES) throw new FormProblem(input.name, t('photos.too_big', { name: f.name }));
    out.push({ content_type: type, filename: f.name.slice(0, 200), data: await base64(f) });
  }
  return out;
}

/** A file input for photos, with its label: the same picker as the resident's form, so no browser-made text
 * ("Choose Files") appears in the staff's language. */
export function photoField(id, name, labelKey) {
  const summary = h('span', { id: `${id}-summary`, class: 'muted', i18n: 'field.photos.none' });
  const input = h('input', {
    id,
    name,
    class: 'file-input',
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp,image/heic',
    multiple: true,
    'aria-labelledby': `${id}-label`,
    'aria-describedby': `${id}-summary`,
  });
  input.addEventListener('change', () => {
    const n = input.files?.length ?? 0;
    summary.textContent = n ? t('photos.selected', { n }) : t('field.photos.none');
  });
  return h(
    'div',
    { class: 'field' },
    h('p', { class: 'label', id: `${id}-label`, i18n: labelKey }),
    h('div', { class: 'file-picker' }, input, h('label', { for: id, class: 'button secondary', i18n: 'field.photos.choose' }), summary),
  );
}

// Object URLs of the photos shown, released when the card is drawn again.
const shown = [];

/** Loads one note photo with the staff token into an <img>; a failure leaves a short text instead. */
async function loadPhoto(img, url) {
  try {
    const res = await fetch(url, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
    if (!res.ok) throw new Error(String(res.status));
    const src = URL.createObjectURL(await res.blob());
    shown.push(src);
    img.src = src;
  } catch {
    img.replaceWith(h('span', { class: 'muted', i18n: 'notes.photo_failed' }));
  }
}

function noteItem(n) {
  const photos = (n.files ?? []).map((f, i) => {
    const img = h('img', { alt: t('notes.photo_alt', { n: i + 1 }), width: 160, height: 120, loading: 'lazy', 'data-note-photo': f.id });
    loadPhoto(img, f.url);
    return h('li', {}, img);
  });
  return h(
    'li',
    { class: `work-note work-note-${n.kind}`, 'data-note': n.id },
    h('p', { class: 'meta' }, formatDateTime(n.created_at), ' · ', n.author?.name ?? t('actor.system'), ' · ', label('notes.kind', n.kind)),
    n.text ? h('p', { class: 'note-text' }, n.text) : null,
    photos.length ? h('ul', { class: 'note-photos' }, photos) : null,
  );
}

/** The notes section; `null` when the user may not read notes. `reload` redraws the card after a note is saved. */
export function notesSection(tk, { reload, onAuthLost }) {
  if (!Array.isArray(tk.notes)) return null;
  while (shown.length) URL.revokeObjectURL(shown.pop());
  const list = tk.notes.length
    ? h(
        'ol',
        { class: 'notes' },
        tk.notes.map((n) => noteItem(n)),
      )
    : h('p', { class: 'muted', i18n: 'notes.none' });
  return section('t-notes', 'ticket.notes', h('p', { class: 'hint', i18n: 'notes.hint' }), list, noteForm(tk, { reload, onAuthLost }));
}

function noteForm(tk, { reload, onAuthLost }) {
  if (!tk.can_comment && !tk.can_attach) return null;
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'note-form', 'data-note-form': '', novalidate: true },
    tk.can_comment
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: 'note-text', i18n: 'notes.text' }),
          h('textarea', { id: 'note-text', name: 'text', rows: 3, maxlength: 4000 }),
        )
      : null,
    tk.can_attach ? photoField('note-photos', 'photos', 'notes.photos') : null,
    status,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'secondary', i18n: 'notes.submit' })),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form, status);
    const button = form.querySelector('button');
    try {
      const text = form.elements.namedItem('text')?.value.trim() ?? '';
      const photos = await readPhotos(form.elements.namedItem('photos'));
      if (!text && !photos.length) throw new FormProblem(tk.can_comment ? 'text' : 'photos', t('notes.empty'));
      button.disabled = true;
      await api(`/tickets/${encodeURIComponent(tk.number)}/notes`, { body: { ...(text ? { text } : {}), ...(photos.length ? { photos } : {}) } });
      await reload({ text: t('notes.saved'), kind: 'ok' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onAuthLost();
      button.disabled = false;
      showProblem(form, status, err);
    }
  });
  return form;
}
