// The resident's loop in a real browser (Debian's Chromium driven by playwright-core) on a phone-sized screen,
// against a real centre: the receipt gives a private link kept on the device, "my appeals" finds it again, the
// resident confirms and rates 4 with a comment; on another device the private link opens the same view, the
// resident reopens with a reason and adds details, and markup they type stays text. Without the key: public view.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words, xssFlag } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const PHONE = { width: 390, height: 844 };
const WATER = 'astana-su-arnasy';
const IMG = '<img src=x onerror="window.__xss=1">';

describe.skipIf(!HAVE_CHROMIUM)('the resident’s loop in a browser, on a phone', () => {
  let centre: TestCentre;
  let browser: Browser;
  let operator: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function open(path = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: 'ru-RU' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(centre.url + path);
    await page.locator('body[data-ready]').waitFor();
    return page;
  }

  async function resolve(number: string) {
    const t = await centre.api(`/api/v1/tickets/${number}`, { token: operator });
    if (t.body.organisation?.id !== WATER) {
      const a = await centre.api(`/api/v1/tickets/${number}/actions`, { token: operator, body: { action: 'assign', organisation: WATER } });
      expect(a.status, a.text).toBe(200);
    }
    const r = await centre.api(`/api/v1/tickets/${number}/actions`, { token: operator, body: { action: 'resolve', reason: 'Заменили задвижку' } });
    expect(r.status, r.text).toBe(200);
  }

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  beforeAll(async () => {
    centre = await startTestCentre();
    operator = await centre.login('operator1@qala.demo');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await centre?.close();
  });

  it('keeps the private link from the receipt, finds the appeal in "my appeals", confirms it and rates it 4', async () => {
    const page = await open();
    const w = (await words(page)).ru;
    await page.fill('#a-text', 'Нет холодной воды во всём доме на улице Бейбитшилик 51 с утра');
    await page.click('#appeal-form [type=submit]');
    await page.locator('#receipt').waitFor();
    const number = (await page.textContent('#receipt [data-number]'))?.trim() ?? '';
    const link = await page.inputValue('#r-link');
    expect(link).toMatch(new RegExp(`#/track/${number}\\?key=[A-Za-z0-9_-]{32}$`));
    expect(await page.textContent('#receipt [data-private] h3')).toBe(w('receipt.private.title'));
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('qala.appeals') ?? '[]'));
    expect(stored).toEqual([expect.objectContaining({ number, key: link.split('key=')[1] })]);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    await resolve(number);
    await page.click('[data-track-link]');
    await page.locator('#track-result [data-view="own"]').waitFor();
    expect(await page.textContent('#my-appeals')).toContain(number);
    expect(await page.textContent('#track-result .conversation')).toContain('Бейбитшилик 51');
    expect(await page.getAttribute('#track-result [data-window]', 'data-window')).toBe('open');
    expect(await unnamed(page)).toEqual([]);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    await page.click('#loop-confirm [type=submit]');
    await page.locator('#track-result [data-status="closed"]').waitFor();
    expect(await page.textContent('#view-track [data-status]')).toBe(w('loop.confirmed'));
    await page.click('label[for="score-4"]');
    await page.fill('#loop-comment', 'Сделали за день, спасибо');
    await page.click('#loop-rate [type=submit]');
    await page.locator('#loop-rate [data-rating="4"]').waitFor();
    const id = (await centre.ctx.db.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
    const rating = await centre.ctx.db.selectFrom('ratings').selectAll().where('ticket_id', '=', id).executeTakeFirstOrThrow();
    expect([rating.score, rating.comment]).toEqual([4, 'Сделали за день, спасибо']);
  });

  it('opens the private link on another device, reopens with a reason, adds details; markup stays text', async () => {
    const filed = await centre.api('/api/v1/appeals', { body: { text: 'Нет холодной воды в подъезде, улица Бейбитшилик 53' } });
    const { number, access_key: key } = filed.body as { number: string; access_key: string };
    await resolve(number);
    const page = await open(`/#/track/${number}?key=${key}`);
    await page.locator('#track-result [data-view="own"]').waitFor();
    // The key is kept on this device and taken out of the address bar.
    expect(page.url()).toMatch(new RegExp(`#/track/${number}$`));
    expect(await page.evaluate(() => localStorage.getItem('qala.appeals'))).toContain(key);

    await page.fill('#loop-reason', `Вода так и не появилась ${IMG}`);
    await page.click('#loop-reopen [type=submit]');
    await page.locator('#track-result [data-status="reopened"]').waitFor();
    const t = await centre.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    expect([t.status, t.organisation_id, t.reopen_count]).toEqual(['reopened', WATER, 1]);

    await page.fill('#loop-details-text', `Напор есть только ночью ${IMG}`);
    await page.click('#loop-details [type=submit]');
    await expect.poll(() => page.textContent('#track-result .conversation')).toContain(`Напор есть только ночью ${IMG}`);
    expect(await page.locator('#track-result img').count()).toBe(0);
    expect(await xssFlag(page)).toBeUndefined();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });

  it('without the key shows only the public view, in Kazakh when chosen, and says how to get the private one', async () => {
    const filed = await centre.api('/api/v1/appeals', { body: { text: 'Нет холодной воды, улица Бейбитшилик 55', contact: { name: 'Асель' } } });
    const page = await open(`/#/track/${filed.body.number}`);
    await page.click('[data-lang="kk"]');
    await page.locator('#track-result [data-view="public"]').waitFor();
    const w = (await words(page)).kk;
    await expect.poll(() => page.textContent('#track-result')).toContain(w('track.public_only'));
    expect(await page.textContent('#track-result')).not.toContain('Бейбитшилик 55');
    expect(await page.locator('#loop-confirm, #loop-reopen, #loop-rate').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
