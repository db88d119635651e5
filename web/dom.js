// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so resident-supplied text stays literal.
import { t } from './i18n.js';

/**
 * h('p', { class: 'x', i18n: 'key' }, child, ...) builds an element. Children are nodes or strings (as text);
 * null/false are skipped. `i18n` sets data-i18n (the text follows the language), `on` is { event: handler }.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'i18n') {
      el.dataset.i18n = v;
      el.textContent = t(v);
    } else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** A <dl> of [labelKey, value] rows; rows whose value is null/undefined are left out. */
export function facts(rows) {
  const dl = h('dl', { class: 'facts' });
  for (const [key, value] of rows) {
    if (value === null || value === undefined) continue;
    dl.append(h('dt', { i18n: key }), h('dd', {}, value === '' ? t('none') : value));
  }
  return dl;
}

/** Shows a message in a live region (role=status or role=alert set in the HTML). */
export function say(el, text, kind = 'info') {
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = !text;
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}`, 'data-status': status }, t(`status.${status}`));
}
