// The page header's one piece of behaviour: on a phone the sections are a strip that scrolls sideways
// (web/style.css, "Phone header"). The current section (aria-current, set by the router in app.js) is kept in view
// whenever it changes, the language changes the tabs' widths, or the screen turns; a section reached with Tab is
// brought wholly into view too (the browser leaves a half-visible link where it is).

import { onLangChange } from './i18n.js';

/** Scrolls the strip, not the page, so that `tab` is wholly visible; centred if it was not. */
function reveal(strip, tab) {
  if (!tab || strip.scrollWidth <= strip.clientWidth) return;
  const box = strip.getBoundingClientRect();
  const r = tab.getBoundingClientRect();
  // The right edge fades out (scroll-padding says how far): a tab under the fade counts as hidden.
  const fade = Number.parseFloat(getComputedStyle(strip).scrollPaddingInlineEnd) || 0;
  if (r.left >= box.left && r.right <= box.right - fade) return;
  strip.scrollLeft += r.left - box.left - (box.width - r.width) / 2;
}

export function initHeader() {
  const strip = document.querySelector('.site-header nav.tabs');
  if (!strip) return;
  const revealCurrent = () => reveal(strip, strip.querySelector('a[aria-current="page"]:not([hidden])'));
  new MutationObserver(revealCurrent).observe(strip, { subtree: true, attributeFilter: ['aria-current', 'hidden'] });
  onLangChange(() => requestAnimationFrame(revealCurrent));
  window.addEventListener('resize', revealCurrent);
  // Keyboard focus only: moving the strip under a finger or a mouse between press and release would lose the click.
  strip.addEventListener('focusin', (e) => {
    if (e.target.matches(':focus-visible')) reveal(strip, e.target.closest('a'));
  });
  revealCurrent();
}
