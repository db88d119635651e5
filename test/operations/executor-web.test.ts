// The executor's ticket card in a real browser (Debian's Chromium driven by playwright-core) against a real centre:
// accept, ask the resident (the clock shows as paused), add a note with a photo (shown from the authenticated file
// route, its words as text), resume, and resolve with a note and a proof photo, refused in the page without one.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, unnamed, words, xssFlag } from '../browser/helpers.js';
import { startTestCentre, type TestCentre } from '../centre.js';

const CHROMIUM = '/usr/bin/chromium';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const photo = (name: string) => ({ name, mimeType: 'image/png', buffer: PNG });
const MARKUP = 'Ключ у председателя ОСИ <img src=x onerror="window.__xss=1">';

describe.skipIf(!existsSync(CHROMIUM))('the executor’s ticket card in a browser', () => {
  let centre: TestCentre;
  let browser: Browser;
  let number = '';

  beforeAll(async () => {
    centre = await startTestCentre();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const operator = await centre.login('operator1@qala.demo');
    const filed = await centre.api('/api/v1/phone-appeals', { token: operator, body: { text: 'Холодные батареи во всём подъезде, Кенесары 40' } });
    number = filed.body.number;
    const assigned = await centre.api(`/api/v1/tickets/${number}/actions`, {
      token: operator,
      body: { action: 'assign', organisation: 'astana-teplotranzit', category: 'HEAT' },
    });
    expect(assigned.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  const submit = (page: Page) => page.click('[data-action-form] [type=submit]');
  const status = (page: Page) => page.getAttribute('#staff-ticket .title-row .badge', 'data-status');

  it('accepts, asks, notes with a photo, resumes and resolves with proof', async () => {
    const problems: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', 'executor.heat@qala.demo');
    await page.fill('#l-password', 'demo-password-1');
    await page.click('#login-form [type=submit]');
    await page.locator('#staff-list table.tickets').waitFor();
    const w = await words(page);
    await page.goto(`${centre.url}/#/staff/ticket/${number}`);
    await page.locator('#staff-ticket [data-number]').waitFor();

    // Accept.
    for (const a of ['accept', 'hand_back', 'ask', 'resolve']) expect(await page.locator(`[data-action="${a}"]`).count()).toBe(1);
    await page.click('[data-action="accept"]');
    await submit(page);
    await expect.poll(() => status(page)).toBe('in_progress');

    // Ask: refused in the page without a question; then the clock shows as paused.
    await page.click('[data-action="ask"]');
    expect(await unnamed(page)).toEqual([]);
    await submit(page);
    expect(await page.getAttribute('#act-question', 'aria-invalid')).toBe('true');
    await page.fill('#act-question', 'Какой подъезд и этаж?');
    await submit(page);
    await expect.poll(() => status(page)).toBe('waiting');
    expect(await page.textContent('#staff-ticket .title-row .badge')).toBe(w.ru('status.waiting'));
    expect(await page.locator('[data-clock="paused"]').count()).toBe(1);
    expect(await page.textContent('#staff-ticket .notes')).toContain('Какой подъезд и этаж?');

    // A note with a photo: the words stay text, the photo comes from the authenticated file route.
    await page.fill('#note-text', MARKUP);
    await page.setInputFiles('#note-photos', [photo('valve.png')]);
    await page.click('[data-note-form] [type=submit]');
    await expect.poll(() => page.textContent('[data-notice]')).toBe(w.ru('notes.saved'));
    expect(await page.locator('.work-note-comment, .work-note-photo').last().locator('.note-text').textContent()).toBe(MARKUP);
    await expect.poll(() => page.$eval('.work-note-photo img', (img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    expect(await page.getAttribute('.work-note-photo img', 'src')).toMatch(/^blob:/);
    expect(await xssFlag(page)).toBeUndefined();

    // Resume, then resolve: without a proof photo the page refuses; with one the ticket is resolved.
    await page.click('[data-action="resume"]');
    await submit(page);
    await expect.poll(() => status(page)).toBe('in_progress');
    await page.click('[data-action="resolve"]');
    await page.fill('#act-note', 'Открыли задвижку на вводе, отопление подано');
    await submit(page);
    expect(await page.getAttribute('#act-proof', 'aria-invalid')).toBe('true');
    expect(await page.textContent('[data-action-form] [role=alert]')).toBe(w.ru('action.proof_required'));
    await page.setInputFiles('#act-proof', [photo('after.png')]);
    await submit(page);
    await expect.poll(() => status(page)).toBe('resolved');
    expect(await page.textContent('#staff-ticket .notes')).toContain('Открыли задвижку на вводе, отопление подано');
    expect(await page.locator('.work-note-proof img').count()).toBe(1);
    if (process.env.QALA_SCREENSHOTS) await page.screenshot({ path: `${process.env.QALA_SCREENSHOTS}/executor-ticket.png`, fullPage: true });

    // In Kazakh, the notes' heading and kinds follow the page's language.
    await page.click('[data-lang="kk"]');
    await expect.poll(() => page.textContent('#t-notes')).toBe(w.kk('ticket.notes'));
    expect(await page.textContent('.work-note-proof .meta')).toContain(w.kk('notes.kind.proof'));
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps a photo chosen while the card is being refreshed live', async () => {
    const operator = await centre.login('operator1@qala.demo');
    const filed = await centre.api('/api/v1/phone-appeals', { token: operator, body: { text: 'Нет отопления в квартире, Кенесары 40' } });
    const other: string = filed.body.number;
    const act = (body: object) => centre.api(`/api/v1/tickets/${other}/actions`, { token: operator, body });
    expect((await act({ action: 'assign', organisation: 'astana-teplotranzit', category: 'HEAT' })).status).toBe(200);
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', 'executor.heat@qala.demo');
    await page.fill('#l-password', 'demo-password-1');
    await page.click('#login-form [type=submit]');
    await page.locator('#staff-list table.tickets').waitFor();
    await page.goto(`${centre.url}/#/staff/ticket/${other}`);
    await page.click('[data-action="accept"]');
    await submit(page);
    await expect.poll(() => status(page)).toBe('in_progress');
    await page.click('[data-action="resolve"]');
    await page.locator('#act-proof').waitFor();
    // The next fetch of the ticket is held until the photo is chosen: the live refresh is under way meanwhile.
    let held: () => void = () => {};
    const fetching = new Promise<void>((started) => {
      void page.route(`**/api/v1/tickets/${other}`, async (route) => {
        started();
        await new Promise<void>((release) => {
          held = release;
        });
        await route.continue();
      });
    });
    // Someone else's note on the ticket: an audit row, so the card refreshes itself.
    const executor = await centre.login('executor.heat@qala.demo');
    expect((await centre.api(`/api/v1/tickets/${other}/notes`, { token: executor, body: { text: 'Бригада выехала' } })).status).toBe(201);
    await fetching;
    await page.setInputFiles('#act-proof', [photo('chosen-meanwhile.png')]);
    held();
    await page.locator('#staff-ticket .notes', { hasText: 'Бригада выехала' }).waitFor();
    expect(await page.$eval('#act-proof', (i) => (i as HTMLInputElement).files?.length)).toBe(1);
    await page.unroute(`**/api/v1/tickets/${other}`);
    await context.close();
  });
});
