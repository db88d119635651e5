// Every visible string of the page comes from here: the dictionaries in lang/*.js, looked up by key.
// The chosen language is remembered in localStorage and mirrored in <html lang>.
import en from './lang/en.js';
import kk from './lang/kk.js';
import ru from './lang/ru.js';

export const LANGS = ['kk', 'ru', 'en'];
export const DICTIONARIES = { ru, kk, en };
/** Language names are written in their own language, whichever language the page is in. */
const SELF_NAMES = { 'lang.kk': 'Қазақша', 'lang.ru': 'Русский', 'lang.en': 'English' };
const STORAGE_KEY = 'qala.lang';
const listeners = [];

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function initial() {
  const saved = stored();
  if (LANGS.includes(saved)) return saved;
  const browser = (navigator.language || '').slice(0, 2).toLowerCase();
  return LANGS.includes(browser) ? browser : 'ru';
}

let current = initial();

export function lang() {
  return current;
}

/** The string for `key` in the current language, with {placeholders} filled from `vars`. */
export function t(key, vars) {
  const s = SELF_NAMES[key] ?? DICTIONARIES[current][key] ?? DICTIONARIES.ru[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** The label for a code from the API (a status, channel, urgency…); a code with no label is shown as it is. */
export function label(prefix, code) {
  if (code === null || code === undefined || code === '') return t('none');
  const key = `${prefix}.${code}`;
  const s = t(key);
  return s === key ? String(code) : s;
}

/** Fills [data-i18n] elements' text and [data-i18n-attr="attr:key;attr:key"] attributes under `root`. */
export function applyI18n(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  if (root === document) document.title = t('app.title');
}

export function setLang(next) {
  if (!LANGS.includes(next)) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = next;
  applyI18n(document);
  for (const f of listeners) f(next);
}

export function onLangChange(f) {
  listeners.push(f);
}

/** A {ru, kk, en} name from the API in the current language. */
export function localName(names) {
  if (!names) return '';
  if (typeof names === 'string') return names;
  return names[current] ?? names.ru ?? '';
}

/**
 * A date-time from the API, already in Astana time ("2026-05-12T14:30:00+05:00"), shown as it is:
 * read from the text, never converted to the browser's time zone.
 */
export function formatDateTime(iso) {
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso) : null;
  if (!m) return t('none');
  const [, y, mo, d, hh, mm] = m;
  return t('fmt.datetime', { y, m: mo, d, hh, mm });
}
