// The executor's workspace on a phone (390×844) in a real browser (Debian's Chromium, playwright-core) against a real
// centre: the queue starts on the first screen because the filters fold behind one button that says how many are set
// (and opens and closes by mouse and keyboard, its state in the URL as before); on the ticket card the Actions come
// right after the number, status and deadline, before the conversation; nothing is wider than the screen on the
// queue, the card and the accept, ask and resolve forms. On a laptop the filters and the card stay as they were.
// Screenshots in kk and ru: $QALA_SCREENSHOTS (or /tmp/shots)/executor-phone-*.png.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words, xssFlag } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const IMG = '<img src=x onerror="window.__xss=1">';
type Lang = 'ru' | 'kk';

describe.skipIf(!existsSync(CHROMIUM))('the executor’s workspace on a phone', () => {
  let centre: TestCentre;
  let browser: Browser;
  let number = '';
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function signedIn(email: string, lang: Lang, viewport = PHONE): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: lang === 'kk' ? 'kk-KZ' : 'ru-RU' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.addInitScript((l) => localStorage.setItem('qala.lang', l), lang);
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', email);
    await page.fill('#l-password', 'demo-password-1');
    await page.click('#login-form [type=submit]');
    await page.locator('#staff-list table.tickets').waitFor();
    return page;
  }

  /** The whole page, and what the first screen shows (…-screen.png). */
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: `${SHOTS}/executor-phone-${name}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/executor-phone-${name}-screen.png` });
  };
  /** How far the page is wider than the screen (more than 0: it scrolls sideways). */
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  /** How far the queue's table sticks out of its own scrolling box. */
  const tableSideways = (page: Page) =>
    page.$eval('#staff-list [data-table]', (wrap) => (wrap as HTMLElement).scrollWidth - (wrap as HTMLElement).clientWidth);
  const toggle = (page: Page) => page.locator('[data-filters-toggle]');
  const expanded = (page: Page) => toggle(page).getAttribute('aria-expanded');
  const status = (page: Page) => page.getAttribute('#staff-ticket .title-row .badge', 'data-status');
  /** Where an element starts from the top of the page (not of the part scrolled to): below the screen's height, it is on the first screen. */
  const top = (page: Page, selector: string) => page.$eval(selector, (el) => el.getBoundingClientRect().top + window.scrollY);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    centre = await startTestCentre();
    const operator = await centre.login('operator1@qala.demo');
    for (const text of [`Подъезде жылу жоқ, Кенесары 40 ${IMG}`, 'Батареи холодные, Сарыарка 12, третий день']) {
      const filed = await centre.api('/api/v1/phone-appeals', { token: operator, body: { text } });
      const assigned = await centre.api(`/api/v1/tickets/${filed.body.number}/actions`, {
        token: operator,
        body: { action: 'assign', organisation: 'astana-teplotranzit', category: 'HEAT' },
      });
      expect(assigned.status).toBe(200);
      number ||= filed.body.number;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await centre?.close();
  });

  it('shows the queue on the first screen, with the filters folded behind a button that counts them (kk, ru)', async () => {
    const page = await signedIn('executor.heat@qala.demo', 'kk');
    const w = await words(page);
    await page.locator(`tr[data-row="${number}"]`).waitFor();

    // Folded: the search is there, the other filters are not, and the first ticket is on the first screen.
    expect(await page.isVisible('#s-q')).toBe(true);
    expect(await page.isVisible('#s-status')).toBe(false);
    expect(await expanded(page)).toBe('false');
    expect(await toggle(page).getAttribute('aria-controls')).toBe('filter-panel');
    expect(await toggle(page).textContent()).toBe(w.kk('console.filters'));
    expect(await top(page, '#staff-list tbody tr[data-row]')).toBeLessThan(PHONE.height);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await tableSideways(page)).toBeLessThanOrEqual(0);
    // Each row, shown as a card, says which date is the deadline.
    expect(await page.isVisible(`tr[data-row="${number}"] [data-col="deadline"] .cell-label`)).toBe(true);
    expect(await page.textContent(`tr[data-row="${number}"] [data-col="deadline"] .cell-label`)).toBe(w.kk('col.deadline'));
    expect(await xssFlag(page)).toBeUndefined();
    await shot(page, 'queue-kk');

    // Opened by the keyboard: every filter is there and usable; two set (the order is not a filter) show as (2).
    await toggle(page).focus();
    await page.keyboard.press('Enter');
    expect(await expanded(page)).toBe('true');
    for (const id of ['s-status', 's-attention', 's-channel', 's-category', 's-district', 's-organisation', 's-urgency', 's-language', 's-sort'])
      expect(await page.isVisible(`#${id}`)).toBe(true);
    await page.selectOption('#s-sort', 'deadline');
    await page.waitForFunction(() => location.hash.includes('sort=deadline'));
    await expect.poll(() => toggle(page).textContent()).toBe(w.kk('console.filters'));
    await page.selectOption('#s-category', 'HEAT');
    await page.waitForFunction(() => location.hash.includes('category=HEAT'));
    await page.selectOption('#s-status', '');
    await expect.poll(() => toggle(page).textContent()).toBe(`${w.kk('console.filters')} (2)`);
    expect(await expanded(page)).toBe('true');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    // The status filter's longest choice fits its box (it was cut off when two filters shared a row).
    const room = await page.$eval('#s-status', (s) => {
      const select = s as HTMLSelectElement;
      const probe = document.createElement('span');
      Object.assign(probe.style, { font: getComputedStyle(select).font, whiteSpace: 'nowrap', position: 'absolute' });
      probe.textContent = [...select.options].map((o) => o.text).reduce((a, b) => (b.length > a.length ? b : a), '');
      document.body.append(probe);
      const needed = probe.getBoundingClientRect().width;
      probe.remove();
      return select.clientWidth - needed;
    });
    expect(room).toBeGreaterThan(0);
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 'queue-filters-kk');

    // Closed again with the mouse; the count stays, and so does the view in the URL after a reload.
    await toggle(page).click();
    expect(await expanded(page)).toBe('false');
    expect(await page.isVisible('#s-status')).toBe(false);
    expect(await top(page, '#staff-list tbody tr[data-row]')).toBeLessThan(PHONE.height);
    await page.reload();
    await page.locator(`tr[data-row="${number}"]`).waitFor();
    await expect.poll(() => toggle(page).textContent()).toBe(`${w.kk('console.filters')} (2)`);
    expect(await page.inputValue('#s-category')).toBe('HEAT');

    // In Russian: the same, in Russian.
    await page.click('[data-lang="ru"]');
    await expect.poll(() => toggle(page).textContent()).toBe(`${w.ru('console.filters')} (2)`);
    expect(await page.textContent(`tr[data-row="${number}"] [data-col="deadline"] .cell-label`)).toBe(w.ru('col.deadline'));
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await shot(page, 'queue-ru');
    await toggle(page).click();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await shot(page, 'queue-filters-ru');
    // Reset: no filter set, no count.
    await page.click('[data-reset-filters]');
    await expect.poll(() => toggle(page).textContent()).toBe(w.ru('console.filters'));
    expect(problems).toEqual([]);
  }, 120_000);

  it('puts the Actions above the conversation and fits the card and the accept, ask and resolve forms on the phone', async () => {
    const page = await signedIn('executor.heat@qala.demo', 'kk');
    const w = await words(page);
    await page.click(`[data-ticket-link="${number}"]`);
    await page.locator('#staff-ticket [data-number]').waitFor();
    expect(await page.textContent('#staff-ticket .ticket-due strong')).toBe(w.kk('ticket.due'));

    // Number, status, deadline, then the Actions: above the details and the conversation, in the page's order too.
    const order = await page.evaluate(() => {
      const at = (id: string) => document.getElementById(id) as HTMLElement;
      const follows = (a: string, b: string) => Boolean(at(a).compareDocumentPosition(at(b)) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { beforeDetails: follows('t-actions', 't-details'), beforeConversation: follows('t-actions', 't-conv') };
    });
    expect(order).toEqual({ beforeDetails: true, beforeConversation: true });
    expect(await top(page, '#t-actions')).toBeLessThan(await top(page, '#t-conv'));
    expect(await top(page, '#t-actions')).toBeGreaterThan(await top(page, '#staff-ticket .ticket-due'));
    expect(await top(page, '[data-action="accept"]')).toBeLessThan(PHONE.height);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await xssFlag(page)).toBeUndefined();
    await shot(page, 'ticket-kk');

    // Accept.
    await page.click('[data-action="accept"]');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await page.click('[data-action-form] [type=submit]');
    await expect.poll(() => status(page)).toBe('in_progress');

    // Ask: the form fits; cancelled.
    await page.click('[data-action="ask"]');
    await page.locator('#act-question').waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 'ask-kk');
    await page.click('[data-action-form] button.secondary');

    // Resolve with a note and a proof photo: the form, its photo field and the chosen photo fit.
    await page.click('[data-action="resolve"]');
    await page.fill('#act-note', 'Ысырма ашылды, жылу берілді');
    await page.setInputFiles('#act-proof', [{ name: 'after.png', mimeType: 'image/png', buffer: PNG }]);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await top(page, '#act-note')).toBeLessThan(await top(page, '#t-conv'));
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 'resolve-kk');
    await page.click('[data-action-form] [type=submit]');
    await expect.poll(() => status(page)).toBe('resolved');
    expect(await sideways(page)).toBeLessThanOrEqual(0);

    // The same card in Russian.
    await page.click('[data-lang="ru"]');
    await expect.poll(() => page.textContent('#staff-ticket .title-row .badge')).toBe(w.ru('status.resolved'));
    expect(await page.textContent('#staff-ticket .ticket-due strong')).toBe(w.ru('ticket.due'));
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await shot(page, 'ticket-ru');
    expect(problems).toEqual([]);
  }, 120_000);

  it('keeps the laptop as it was: the filters shown without a button, the operator’s Actions heading the second column', async () => {
    const page = await signedIn('operator1@qala.demo', 'kk', LAPTOP);
    expect(await toggle(page).isVisible()).toBe(false);
    for (const id of ['s-q', 's-status', 's-category', 's-sort']) expect(await page.isVisible(`#${id}`)).toBe(true);
    expect(await page.isVisible('#staff-list thead')).toBe(true);
    expect(await page.isVisible('#staff-list .cell-label')).toBe(false);
    await page.goto(`${centre.url}/#/staff/ticket/${number}`);
    await page.locator('#staff-ticket [data-number]').waitFor();
    expect(await page.locator('[data-col="side"] > section:first-child #t-actions').count()).toBe(1);

    // An executor has them first on a laptop too; the operator's move there when the window narrows to a phone's.
    const executor = await signedIn('executor.heat@qala.demo', 'kk', LAPTOP);
    await executor.goto(`${centre.url}/#/staff/ticket/${number}`);
    await executor.locator('#staff-ticket [data-number]').waitFor();
    expect(await executor.locator('[data-col="main"] > section:first-child #t-actions').count()).toBe(1);
    await page.setViewportSize(PHONE);
    await expect.poll(() => page.locator('[data-col="main"] > section:first-child #t-actions').count()).toBe(1);
    await page.setViewportSize(LAPTOP);
    await expect.poll(() => page.locator('[data-col="side"] > section:first-child #t-actions').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 120_000);
});
