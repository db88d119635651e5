// Helpers for the browser test: reading the page's dictionaries, the XSS canary, and a run-time accessibility check.
import type { Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export const xssFlag = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
/** The page's own dictionaries (a string, so that vitest leaves the browser's import() alone). */
export const dictionaries = (page: Page) =>
  page.evaluate<Record<'ru' | 'kk' | 'en', Record<string, string>>>("import('/i18n.js').then((m) => m.DICTIONARIES)");

/** Look-ups in the page's dictionaries that fail loudly on a missing key. */
export async function words(page: Page): Promise<Record<'ru' | 'kk' | 'en', (key: string) => string>> {
  const d = await dictionaries(page);
  const lookup = (lang: 'ru' | 'kk' | 'en') => (key: string) => {
    const s = d[lang][key];
    if (s === undefined) throw new Error(`no ${lang} string for ${key}`);
    return s;
  };
  return { ru: lookup('ru'), kk: lookup('kk'), en: lookup('en') };
}

/**
 * Visible controls without an accessible name, and headings, links, buttons and labels without text. (The HTML is
 * filled from i18n.js at run time, so this is checked here rather than by the linter.)
 */
export const unnamed = (page: Page) =>
  page.$$eval('input, select, textarea, button, a[href], h1, h2, h3, label, legend', (els) =>
    els
      .filter((el) => {
        if (el.closest('[hidden]')) return false;
        if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
          const ids = (el.getAttribute('aria-labelledby') ?? '').split(' ').filter(Boolean);
          const names = [...ids.map((id) => document.getElementById(id)), ...(el.labels ?? [])].map((l) => l?.textContent?.trim() ?? '');
          return !names.join('') && !el.getAttribute('aria-label');
        }
        return !el.textContent?.trim();
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
