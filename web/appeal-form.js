// What the resident's form and the operator's 109 form share: reading the fields into an API body (photos read
// with FileReader as base64), checking them before sending, and marking the fields the API found wrong; and the
// resident's map pin, which fills the coordinates from a tap on the city map.
import { ApiError, api, errorText } from './api.js';
import { h, say } from './dom.js';
import { t } from './i18n.js';

const MAX_PHOTOS = 5;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'];
const BY_EXTENSION = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heic: 'image/heic' };

/** Thrown for problems found before sending: the field (input name) and an i18n message. */
export class FormProblem extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

const value = (form, name) => {
  const el = form.elements.namedItem(name);
  return el && 'value' in el ? el.value.trim() : '';
};

function photoType(file) {
  if (PHOTO_TYPES.includes(file.type)) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? null;
}

/** The problem with the chosen photos, if any, as a localized sentence. */
export function photoProblem(files) {
  if (files.length > MAX_PHOTOS) return t('photos.too_many');
  for (const f of files) {
    if (!photoType(f)) return t('photos.bad_type', { name: f.name });
    if (f.size > MAX_PHOTO_BYTES) return t('photos.too_big', { name: f.name });
  }
  return null;
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Shows small previews of the chosen photos (blob: URLs, allowed by the page's CSP). */
export function previewPhotos(input, list, summary) {
  for (const img of list.querySelectorAll('img')) URL.revokeObjectURL(img.src);
  list.replaceChildren();
  const files = [...(input.files ?? [])];
  if (files.length) delete summary.dataset.i18n;
  else summary.dataset.i18n = 'field.photos.none';
  summary.textContent = files.length ? t('photos.selected', { n: files.length }) : t('field.photos.none');
  for (const f of files.slice(0, MAX_PHOTOS)) {
    list.append(h('li', {}, h('img', { src: URL.createObjectURL(f), alt: f.name, width: 64, height: 64 })));
  }
}

/** The API body from the form's named fields: text, address, lat, lon, name, phone, email and photos. */
export async function readAppeal(form) {
  const body = { text: value(form, 'text') };
  if (!body.text) throw new FormProblem('text', t('error.required'));
  const address = value(form, 'address');
  if (address) body.address = address;
  const lat = value(form, 'lat').replace(',', '.');
  const lon = value(form, 'lon').replace(',', '.');
  if (lat || lon) {
    const [la, lo] = [Number(lat), Number(lon)];
    if (!lat || !lon || !Number.isFinite(la) || !Number.isFinite(lo)) throw new FormProblem(lat ? 'lon' : 'lat', t('geo.both'));
    body.lat = la;
    body.lon = lo;
  }
  const contact = {};
  for (const k of ['name', 'phone', 'email']) {
    const v = value(form, k);
    if (v) contact[k] = v;
  }
  if (Object.keys(contact).length) body.contact = contact;
  const input = form.elements.namedItem('photos');
  const files = input?.files ? [...input.files] : [];
  if (files.length) {
    const problem = photoProblem(files);
    if (problem) throw new FormProblem('photos', problem);
    body.photos = await Promise.all(
      files.map(async (f) => ({ content_type: photoType(f), filename: f.name.slice(0, 200), data: await readBase64(f) })),
    );
  }
  return body;
}

const FIELD_OF = { 'contact.name': 'name', 'contact.phone': 'phone', 'contact.email': 'email' };

/** The form's input name for an API detail field such as "body.contact.phone" or "body.photos.0.data". */
function fieldName(apiField) {
  const f = String(apiField ?? '').replace(/^body\.?/, '');
  if (FIELD_OF[f]) return FIELD_OF[f];
  return f.split('.')[0] || 'text';
}

function labelKey(name) {
  return name === 'photos' ? 'field.photos.name' : `field.${name}`;
}

export function clearProblems(form, statusEl) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  say(statusEl, '');
}

/** Marks the wrong fields (aria-invalid), says what is wrong in the form's alert region and focuses the first. */
export function showProblem(form, statusEl, err) {
  const fields = [];
  let text;
  if (err instanceof FormProblem) {
    fields.push(err.field);
    text = err.message;
  } else if (err instanceof ApiError && err.details.length) {
    for (const d of err.details) fields.push(fieldName(d.field));
    text = [...new Set(fields)].map((f) => t('error.field', { field: t(labelKey(f)) })).join(' ');
  } else {
    text = errorText(err);
  }
  const els = fields.map((f) => form.elements.namedItem(f)).filter((el) => el instanceof HTMLElement);
  for (const el of els) el.setAttribute('aria-invalid', 'true');
  say(statusEl, text, 'error');
  els[0]?.focus();
}

/** Fills lat/lon from the browser's geolocation, when the resident asks for it. */
export function geolocate(form, statusEl) {
  if (!navigator.geolocation) return say(statusEl, t('geo.unavailable'), 'error');
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      form.elements.namedItem('lat').value = pos.coords.latitude.toFixed(6);
      form.elements.namedItem('lon').value = pos.coords.longitude.toFixed(6);
      // The map pin's note shows these numbers too.
      form.elements.namedItem('lat').dispatchEvent(new Event('input', { bubbles: true }));
    },
    () => say(statusEl, t('geo.unavailable'), 'error'),
    { timeout: 10_000 },
  );
}

// ── The map pin ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Adds the city map under the form's coordinates: a tap (or the keyboard cursor and Enter) fills lat/lon, shown
 * to the resident with a button to take the mark away. The address stays an alternative; typed coordinates work
 * as before. The map module is loaded only here, on demand.
 */
export async function mountPinPicker(form) {
  const latInput = form.elements.namedItem('lat');
  const lonInput = form.elements.namedItem('lon');
  const fieldset = latInput?.closest('fieldset');
  if (!fieldset || fieldset.querySelector('.pin-picker')) return null;
  const coords = h('span', { 'data-pin-coords': '' });
  const chosen = h('p', { 'data-pin-chosen': '', hidden: true }, h('span', { i18n: 'pin.chosen' }), ' ', coords);
  const none = h('p', { class: 'muted', 'data-pin-none': '', i18n: 'pin.none' });
  const clearButton = h('button', { type: 'button', class: 'secondary small', 'data-pin-clear': '', hidden: true, i18n: 'pin.clear' });
  const mapBox = h('div', { 'data-pin-map': '' });
  const box = h(
    'div',
    { class: 'pin-picker' },
    h('p', { class: 'hint', id: 'a-pin-hint', i18n: 'pin.hint' }),
    mapBox,
    h('div', { class: 'pin-state', 'aria-live': 'polite' }, chosen, none, clearButton),
  );
  fieldset.append(box);
  let map = null;

  const unmark = () => map?.svg.querySelector('.map-pick')?.replaceChildren();
  const showState = () => {
    const [la, lo] = [Number(latInput.value.replace(',', '.')), Number(lonInput.value.replace(',', '.'))];
    const set = latInput.value.trim() !== '' && lonInput.value.trim() !== '' && Number.isFinite(la) && Number.isFinite(lo);
    coords.textContent = set ? `${la.toFixed(5)}, ${lo.toFixed(5)}` : '';
    chosen.hidden = !set;
    none.hidden = set;
    clearButton.hidden = !set;
  };
  const clearPin = () => {
    latInput.value = '';
    lonInput.value = '';
    unmark();
    showState();
    latInput.dispatchEvent(new Event('input', { bubbles: true }));
  };
  // Typed or located coordinates no longer match the mark on the map: the mark goes, the numbers stay.
  for (const input of [latInput, lonInput])
    input.addEventListener('input', () => {
      unmark();
      showState();
    });
  clearButton.addEventListener('click', clearPin);
  // reset() empties the inputs after its event: look once it is done.
  form.addEventListener('reset', () =>
    setTimeout(() => {
      unmark();
      showState();
    }),
  );
  showState();

  try {
    const [{ renderDistrictMap }, districts] = await Promise.all([import('./map.js'), api('/districts')]);
    map = renderDistrictMap(mapBox, {
      districts,
      label: 'pin.title',
      onPick(lat, lon) {
        latInput.value = lat.toFixed(6);
        lonInput.value = lon.toFixed(6);
        latInput.removeAttribute('aria-invalid');
        lonInput.removeAttribute('aria-invalid');
        showState();
        // The form's own listeners (a new idempotency key for an edited appeal) hear of the change.
        form.dispatchEvent(new Event('input', { bubbles: true }));
      },
    });
    map.svg.setAttribute('aria-describedby', 'a-pin-hint');
  } catch {
    mapBox.append(h('p', { class: 'muted', 'data-pin-failed': '', i18n: 'pin.unavailable' }));
  }
  return map;
}
