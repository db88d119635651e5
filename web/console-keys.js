// Keyboard shortcuts of the operator console: j/k move in the inbox, Enter opens the selected ticket, `/` goes to
// the search, `a` opens the assign form and `r` the reply on a ticket's card, `?` lists them all. None of them acts
// while the operator types in a field, so letters always reach the field.

import { moveSelection, selectedTicket } from './console-list.js';
import { $, h } from './dom.js';

const KEYS = [
  ['j', 'console.key.next'],
  ['k', 'console.key.prev'],
  ['Enter', 'console.key.open'],
  ['/', 'console.key.search'],
  ['a', 'console.key.assign'],
  ['r', 'console.key.reply'],
  ['?', 'console.key.help'],
  ['Esc', 'console.key.close'],
];

function typing(target) {
  const el = target instanceof Element ? target : null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

const staffShown = () => !$('#view-staff').hidden && !$('#staff-area').hidden;
const cardShown = () => !$('#staff-ticket').hidden;

function help() {
  let dialog = $('#console-keys');
  if (!dialog) {
    dialog = h('dialog', { id: 'console-keys', class: 'keys-dialog', 'aria-labelledby': 'console-keys-h' });
    document.body.append(dialog);
  }
  // Built each time: the page's language may have changed since.
  dialog.replaceChildren(
    h('h2', { id: 'console-keys-h', i18n: 'console.keys.title' }),
    h(
      'dl',
      { class: 'keys' },
      KEYS.map(([key, text]) => [h('dt', {}, h('kbd', {}, key)), h('dd', { i18n: text })]),
    ),
    h('form', { method: 'dialog' }, h('button', { class: 'secondary', i18n: 'console.keys.close' })),
  );
  dialog.showModal();
  $('button', dialog).focus();
}

/** Clicks a button of the ticket's card (an action, or the reply), if the card shows it. */
function press(selector) {
  const b = $(selector, $('#staff-ticket'));
  if (!b) return false;
  b.click();
  return true;
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || !staffShown() || $('#console-keys')?.open) return;
  let done = false;
  if (e.key === '?') {
    help();
    done = true;
  } else if (e.key === '/' && !$('#staff-list').hidden) {
    $('#s-q').focus();
    $('#s-q').select();
    done = true;
  } else if (e.key === 'j') done = moveSelection(1);
  else if (e.key === 'k') done = moveSelection(-1);
  else if (e.key === 'Enter' && selectedTicket() && !(e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement)) {
    location.hash = `#/staff/ticket/${encodeURIComponent(selectedTicket())}`;
    done = true;
  } else if (e.key === 'a' && cardShown()) done = press('[data-action="assign"]');
  else if (e.key === 'r' && cardShown()) {
    const text = $('#reply-text');
    if (text) {
      text.focus();
      text.scrollIntoView({ block: 'center' });
      done = true;
    }
  }
  if (done) e.preventDefault();
}

export function initKeys() {
  document.addEventListener('keydown', onKey);
}
