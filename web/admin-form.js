// Form helpers shared by the admin screens: labelled fields, and the server's validation messages put next to the
// field they are about (matched by data-path, the path the API names), the rest listed at the form's status line.
import { ApiError, detailText, errorText } from './api.js';
import { h, say } from './dom.js';
import { t } from './i18n.js';

let seq = 0;
const nextId = (prefix) => `${prefix}-${++seq}`;

/** A labelled control: { label: key, control: element, hint?: key, path?: API path of the value }. */
export function field({ label, control, hint, path, wide }) {
  control.id ||= nextId('adm');
  if (path) control.dataset.path = path;
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint`, i18n: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: wide ? 'field wide' : 'field' }, h('label', { for: control.id, i18n: label }), control, hintEl);
}

export function select(options, value) {
  return h(
    'select',
    {},
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[data-described]')) {
    el.setAttribute('aria-describedby', el.dataset.described);
    delete el.dataset.described;
  }
}

/** Puts each detail of a 400 next to its field; `mapPath` turns the API's path into a data-path of the form. */
export function showErrors(form, status, err, mapPath = (p) => p) {
  clearErrors(form);
  if (!(err instanceof ApiError) || !err.details.length) return say(status, errorText(err), 'error');
  const unplaced = [];
  let first = null;
  for (const d of err.details) {
    const path = mapPath(String(d.field ?? '').replace(/^body\.(value\.)?/, ''));
    const el = path ? findField(form, path) : null;
    if (!el) {
      unplaced.push(`${path || '—'}: ${detailText(d)}`);
      continue;
    }
    const msg = h('p', { class: 'field-error', id: nextId('err') }, detailText(d));
    el.setAttribute('aria-invalid', 'true');
    if (!('described' in el.dataset)) el.dataset.described = el.getAttribute('aria-describedby') ?? '';
    el.setAttribute('aria-describedby', `${el.getAttribute('aria-describedby') ?? ''} ${msg.id}`.trim());
    el.after(msg);
    first ??= el;
  }
  say(status, [t('admin.invalid'), ...unplaced].join(' '), 'error');
  first?.focus();
}

/** The control for a path, or for the nearest path above it (rules.3.organisation → rules.3 → rules). */
function findField(form, path) {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const el = form.querySelector(`[data-path="${CSS.escape(parts.slice(0, n).join('.'))}"]`);
    if (el) return el;
  }
  return null;
}
