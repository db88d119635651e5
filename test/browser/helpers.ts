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

/** Collects page errors, console errors (other than the 401/403/404 the app answers itself) and requests that leave
 * `origin` (data: and blob: URLs stay on the page). */
export function watchPage(page: Page, origin: string, problems: string[], outside: string[] = []): void {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
  });
}

/** Opens the centre in `lang` (remembered as the reader's choice) and signs a demo account in at #/staff. */
export async function signIn(page: Page, origin: string, email: string, lang: 'ru' | 'kk' | 'en'): Promise<void> {
  await page.goto(origin);
  await page.evaluate((l) => localStorage.setItem('qala.lang', l), lang);
  await page.reload();
  await page.locator('body[data-ready]').waitFor();
  await page.goto(`${origin}/#/staff`);
  await page.locator('#l-email').fill(email);
  await page.locator('#l-password').fill('demo-password-1');
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#staff-area:not([hidden])').waitFor();
}
