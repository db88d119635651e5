// The operator console in a real browser (Debian's Chromium, playwright-core) against a real centre: the operator
// filters and searches the inbox (the filters land in the URL), opens a ticket with the keyboard, corrects its
// category, replies with a template; a second operator's page sees the change live, without reloading. Resident
// text with markup stays text. Screenshots in ru and kk go to /tmp/shots/console-*.png.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words, xssFlag } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const LAPTOP = { width: 1366, height: 900 };
const IMG = '<img src=x onerror="window.__xss=1">';

describe.skipIf(!existsSync(CHROMIUM))('the operator console in a browser', () => {
  let centre: TestCentre;
  let browser: Browser;
  let token: string;
  let number: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function signedIn(email: string, lang: 'ru' | 'kk'): Promise<Page> {
    const context = await browser.newContext({ viewport: LAPTOP, locale: lang === 'kk' ? 'kk-KZ' : 'ru-RU' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.addInitScript((l) => localStorage.setItem('qala.lang', l), lang);
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', email);
    await page.fill('#l-password', 'demo-password-1');
    await page.locator('#login-form [type=submit]').click();
    await page.locator('#staff-list table.tickets').waitFor();
    return page;
  }

  beforeAll(async () => {
    mkdirSync('/tmp/shots', { recursive: true });
    centre = await startTestCentre();
    token = await centre.login('operator1@qala.demo');
    const r = await centre.api('/api/v1/phone-appeals', {
      token,
      body: { text: `Үйде жарық жоқ, подъезд қараңғы ${IMG}`, address: 'Сарыарқа даңғылы, 5' },
    });
    number = r.body.number;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await centre?.close();
  });

  it('filters and searches, keeps the view in the URL, opens with the keyboard, corrects and replies; another page sees it live', async () => {
    const page = await signedIn('operator1@qala.demo', 'ru');
    const w = await words(page);
    await page.locator('.live-mark[data-live="live"]').waitFor();
    await page.selectOption('#s-language', 'kk');
    await page.locator(`tr[data-row="${number}"]`).waitFor();
    expect(page.url()).toContain('language=kk');
    // "/" goes to the search; Kazakh typed without its letters still finds the ticket.
    await page.keyboard.press('/');
    await page.keyboard.type('жарык');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('q='));
    await expect.poll(() => page.locator('tr[data-row]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/shots/console-list-ru.png', fullPage: true });
    const bookmarked = page.url();

    // A second operator keeps the same bookmarked view open.
    const other = await signedIn('operator2@qala.demo', 'kk');
    await other.goto(bookmarked);
    await other.locator(`tr[data-row="${number}"]`).waitFor();
    await other.locator('.live-mark[data-live="live"]').waitFor();
    await other.screenshot({ path: '/tmp/shots/console-list-kk.png', fullPage: true });

    // The keyboard: the list's focus leaves the search field, j selects, Enter opens.
    await page.locator('#list-h').click();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.locator('[data-number]').waitFor();
    expect(page.url()).toContain(number);
    expect(await xssFlag(page)).toBeUndefined();
    expect(await page.locator('#staff-ticket').textContent()).toContain(IMG);

    // One click corrects the category.
    await page.selectOption('#fix-category', 'ELEC');
    await page.locator('[data-fix-form] [type=submit]').click();
    await page.locator('[data-notice]', { hasText: w.ru('console.fix.saved') }).waitFor();

    // The other page shows the change live: its row's category changes without a reload.
    const row = other.locator(`tr[data-row="${number}"]`);
    const cats = (await centre.api('/api/v1/categories')).body as { code: string; name: { kk: string } }[];
    const elec = cats.find((c) => c.code === 'ELEC')?.name.kk as string;
    await expect.poll(async () => row.textContent(), { timeout: 15_000 }).toContain(elec);

    // "r" goes to the reply; a template in the resident's language (Kazakh), sent as it is.
    await page.locator('#reply-template option[value="status.in_progress"]').waitFor({ state: 'attached' });
    await page.locator('h1[data-number]').click();
    await page.keyboard.press('r');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply-text');
    await page.selectOption('#reply-template', 'status.in_progress');
    expect(await page.inputValue('#reply-text')).toContain(number);
    await page.locator('[data-reply-send]').click();
    await page.locator('[data-notice]', { hasText: w.ru('console.reply.sent') }).waitFor();
    await page.screenshot({ path: '/tmp/shots/console-ticket-ru.png', fullPage: true });
    const out = await centre.ctx.db
      .selectFrom('outbox as o')
      .innerJoin('tickets as t', 't.id', 'o.ticket_id')
      .select('o.payload')
      .where('t.number', '=', number)
      .execute();
    expect(
      out.some(
        (o) => (o.payload as { template?: string; language?: string }).template === 'reply' && (o.payload as { language?: string }).language === 'kk',
      ),
    ).toBe(true);

    // "?" lists the shortcuts.
    await page.keyboard.press('?');
    await page.locator('#console-keys[open]').waitFor();
    await page.keyboard.press('Escape');

    // The other operator opens the ticket while someone else changes it: the card follows, the typed reply stays.
    await other.goto(`${centre.url}/#/staff/ticket/${number}`);
    await other.locator('#reply-text').fill('Сәлеметсіз бе');
    await other.locator('#reply-text').focus();
    await centre.api(`/api/v1/tickets/${number}/actions`, { token, body: { action: 'accept' } });
    await other.locator('#staff-ticket .badge[data-status="in_progress"]').first().waitFor({ timeout: 15_000 });
    expect(await other.inputValue('#reply-text')).toBe('Сәлеметсіз бе');
    await other.screenshot({ path: '/tmp/shots/console-ticket-kk.png', fullPage: true });
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
