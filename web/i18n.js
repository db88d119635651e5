// Every visible string of the page comes from here: the dictionaries in lang/*.js, looked up by key.
// The chosen language is remembered in localStorage and mirrored in <html lang>.
import admin from './lang/areas/admin.js';
import analytics from './lang/areas/analytics.js';
import analyticsOpinion from './lang/areas/analytics-opinion.js';
import analyticsReports from './lang/areas/analytics-reports.js';
import analyticsTopics from './lang/areas/analytics-topics.js';
import analyticsVolume from './lang/areas/analytics-volume.js';
import consoleArea from './lang/areas/console.js';
import polls from './lang/areas/polls.js';
import publicArea from './lang/areas/public.js';
import situation from './lang/areas/situation.js';
import en from './lang/en.js';
import kk from './lang/kk.js';
import ru from './lang/ru.js';

export const LANGS = ['kk', 'ru', 'en'];
// Each screen area keeps its strings in a file of its own (lang/areas/*.js), all three languages side by side.
const AREAS = [consoleArea, situation, publicArea, admin, analytics, analyticsOpinion, analyticsVolume, polls, analyticsReports, analyticsTopics];
export const DICTIONARIES = Object.fromEntries(
  Object.entries({ ru, kk, en }).map(([l, base]) => [l, Object.assign({}, base, ...AREAS.map((a) => a[l]))]),
);
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

/**
 * The CLDR plural form for `n` of an entry: an entry with forms is { one, few, many, other } (Russian) or
 * { one, other } (Kazakh, English), one key in every language so the dictionaries keep the same keys.
 * Flat keys `key.one`, `key.few`… are read too.
 */
function pick(l, key, n) {
  const dict = DICTIONARIES[l];
  const entry = dict[key];
  const forms = entry && typeof entry === 'object' ? entry : null;
  if (typeof n !== 'number' || !Number.isFinite(n)) return forms ? forms.other : entry;
  const cat = plurals(l).select(n);
  return forms ? (forms[cat] ?? forms.other) : (dict[`${key}.${cat}`] ?? dict[`${key}.other`] ?? entry);
}

const pluralRules = {};
function plurals(l) {
  pluralRules[l] ??= new Intl.PluralRules(l);
  return pluralRules[l];
}

/** The string for `key` in the current language, with {placeholders} filled from `vars` ({n} also picks the plural). */
export function t(key, vars) {
  const s = SELF_NAMES[key] ?? pick(current, key, vars?.n) ?? pick('ru', key, vars?.n) ?? key;
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

// The city's offset from UTC in minutes (Astana: +300), from GET /api/v1/districts. Until it is known, the offset
// written in the API's own timestamps is used. Never the browser's time zone: a browser in another zone, or with an
// old tz database for Asia/Almaty (which moved from +6 to +5 in 2024), would show other hours.
let cityOffset = null;
export function setCityOffset(minutes) {
  if (Number.isInteger(minutes)) cityOffset = minutes;
}

const LOCALES = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };
const NUMERIC = { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const formats = {};

/**
 * A date-time from the API shown in the city's time, formatted for the page's (or the given) language: ru
 * "12.05.2026, 14:30", kk "12.05.2026, 14:30", en "12/05/2026, 14:30". Numbers only: browsers ship partial Kazakh
 * calendar data (Chromium writes "2026 M05 12"), so kk is put together from the parts in the Kazakh order.
 */
export function formatDateTime(iso, language = current) {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return t('none');
  const written = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  const offset = cityOffset ?? (written ? (written[1] === '-' ? -1 : 1) * (Number(written[2]) * 60 + Number(written[3])) : 0);
  // Shift the instant by the offset and format it as UTC: the wall clock of the city, whatever the browser thinks.
  const wall = new Date(ms + offset * 60_000);
  formats[language] ??= new Intl.DateTimeFormat(LOCALES[language] ?? language, NUMERIC);
  if (language !== 'kk') return formats[language].format(wall);
  const p = Object.fromEntries(formats.kk.formatToParts(wall).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year}, ${p.hour}:${p.minute}`;
}
