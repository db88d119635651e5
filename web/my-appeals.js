// The appeals filed from this device with their private access keys, kept in localStorage: the "my appeals" list
// and the key that opens the resident's own view of each. A key leaves the browser only in the X-Appeal-Key header
// of a request to the centre (and in the private link the resident chooses to copy).
import { $, clear, h, statusBadge } from './dom.js';
import { formatDateTime } from './i18n.js';

const STORE_KEY = 'qala.appeals';
const MAX = 50;
const NUMBER = /^[A-Z]{2,5}-\d{4}-\d{6,}$/;
const KEY = /^[A-Za-z0-9_-]{22,128}$/;
// Private browsing without storage: the list lasts as long as the page.
let memory = [];

const valid = (a) => a && typeof a === 'object' && NUMBER.test(a.number) && KEY.test(a.key);

function read() {
  try {
    const v = JSON.parse(localStorage.getItem(STORE_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter(valid) : [];
  } catch {
    return memory;
  }
}

function write(list) {
  memory = list.slice(0, MAX);
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(memory));
  } catch {
    // storage full or off: kept in memory for this page
  }
}

export function myAppeals() {
  return read();
}

export function keyFor(number) {
  return read().find((a) => a.number === number)?.key ?? null;
}

/** Keeps (or refreshes) an appeal and its key, newest first. */
export function remember({ number, key, status, filed_at }) {
  if (!valid({ number, key })) return;
  const old = read().find((a) => a.number === number);
  const entry = { number, key, status: status ?? old?.status ?? null, filed_at: filed_at ?? old?.filed_at ?? null };
  write([entry, ...read().filter((a) => a.number !== number)]);
}

/** Remembers the last status seen, so the list shows it without asking the centre for every appeal. */
export function noteStatus(number, status) {
  const list = read();
  const a = list.find((x) => x.number === number);
  if (!a || a.status === status) return;
  a.status = status;
  write(list);
}

/** Fills the "my appeals" section of the tracking view (hidden while there are none). */
export function renderMyAppeals() {
  const box = $('#my-appeals');
  if (!box) return;
  const list = read();
  box.hidden = list.length === 0;
  clear($('[data-list]', box)).append(
    ...list.map((a) =>
      h(
        'li',
        {},
        h('a', { href: `#/track/${encodeURIComponent(a.number)}`, 'data-mine': a.number }, a.number),
        a.status ? statusBadge(a.status) : null,
        a.filed_at ? h('span', { class: 'meta' }, formatDateTime(a.filed_at)) : null,
      ),
    ),
  );
}

/** The private link to an appeal on this site: the key travels in the fragment, never to a server in a URL. */
export function privateLink(number, key) {
  return `${location.origin}${location.pathname}#/track/${encodeURIComponent(number)}?key=${encodeURIComponent(key)}`;
}

/** Splits "AST-2026-000123?key=…" (from the route) into the number and the key, if any. */
export function splitKey(route) {
  const [number, query = ''] = String(route ?? '').split('?');
  const key = new URLSearchParams(query).get('key');
  return { number: number.trim().toUpperCase(), key: key && KEY.test(key) ? key : null };
}
