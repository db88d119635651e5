// The web page in a real browser (Debian's Chromium driven by playwright-core) against a real centre:
// a resident files and tracks an appeal in Kazakh, markup in an appeal stays text, an operator works a ticket,
// an executor sees only their organisation's tickets. Screenshots go to a temporary folder, or to $QALA_SCREENSHOTS.
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, dictionaries, unnamed, words, xssFlag } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const INSTALL_HINT = `${CHROMIUM} is missing: install Chromium (apt-get update && apt-get install -y chromium) to run the browser tests`;
// Screenshots to look at: in a temporary folder, or where QALA_SCREENSHOTS says (docs/screenshots for the README).
const SHOTS = `${process.env.QALA_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'qala-shots-'))}/`;
const NUMBER = /^AST-\d{4}-\d{6}$/;
/** A 1×1 PNG, attached as the resident's photo. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const HOT_WATER_KK = 'Сәкен Сейфуллин көшесі, 31 үйде екі күннен бері ыстық су жоқ. Үйде кішкентай балалар бар, тезірек тексеріңіздерші.';
const HOT_WATER_ADDRESS = 'Сәкен Сейфуллин көшесі, 31';
const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';
const XSS_TEXT = `Во дворе на Кенесары, 40 не горят фонари ${IMG} ${SCRIPT} вечером темно.`;

if (!HAVE_CHROMIUM && !process.env.CI) console.warn(`browser tests skipped: ${INSTALL_HINT}`);
if (!HAVE_CHROMIUM && process.env.CI) {
  describe('web page in a browser', () => {
    it('has Chromium to run in', () => {
      throw new Error(`${INSTALL_HINT}; they are required when CI is set`);
    });
  });
}

describe.skipIf(!HAVE_CHROMIUM)(HAVE_CHROMIUM ? 'web page in a browser' : `web page in a browser (skipped: ${INSTALL_HINT})`, () => {
  let centre: TestCentre;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const filed = { hotWater: '', xss: '' };

  /** A fresh browser profile (own localStorage) with a page that records script errors and CSP refusals. */
  async function open(viewport = { width: 1200, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'ru-RU', timezoneId: 'Europe/Berlin' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(centre.url);
    await page.locator('body[data-ready]').waitFor();
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  async function login(page: Page, email: string) {
    await page.goto(`${centre.url}/#/staff`);
    await page.fill('#l-email', email);
    await page.fill('#l-password', 'demo-password-1');
    await page.click('#login-form [type=submit]');
    await page.locator('#staff-area').waitFor();
    await page.locator('#staff-list table.tickets').waitFor();
  }

  async function openTicket(page: Page, number: string) {
    await page.goto(`${centre.url}/#/staff/ticket/${number}`);
    await page.locator('#staff-ticket [data-number]').waitFor();
    expect(await page.textContent('#staff-ticket h1')).toContain(number);
  }

  beforeAll(async () => {
    centre = await startTestCentre();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    await mkdir(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await centre?.close();
  });

  it('has every string in Russian, Kazakh (in Kazakh letters) and English', async () => {
    const page = await open();
    const d = await dictionaries(page);
    const keys = Object.keys(d.ru).sort();
    expect(Object.keys(d.kk).sort()).toEqual(keys);
    expect(Object.keys(d.en).sort()).toEqual(keys);
    const kazakhLetters =
      Object.values(d.kk)
        .join(' ')
        .match(/[әғқңөұүһі]/giu) ?? [];
    expect(kazakhLetters.length).toBeGreaterThan(100);
    // No element shows a bare key: every [data-i18n] got its text.
    const bare = await page.$$eval('[data-i18n]', (els) => els.filter((e) => e.textContent === (e as HTMLElement).dataset.i18n).length);
    expect(bare).toBe(0);
  });

  it('(a) a resident switches to Kazakh, files an appeal in Kazakh and tracks it by its number', async () => {
    const page = await open();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    const w = await words(page);
    expect(await page.textContent('#appeal-h')).toBe(w.ru('appeal.title'));
    await shot(page, 'resident-form-ru');

    expect(await unnamed(page)).toEqual([]);
    await page.focus('[data-lang="kk"]');
    await page.keyboard.press('Enter'); // the switch is made of real buttons: the keyboard works
    expect(await page.getAttribute('html', 'lang')).toBe('kk');
    expect(await page.getAttribute('[data-lang="kk"]', 'aria-pressed')).toBe('true');
    expect(await page.textContent('#appeal-h')).toBe(w.kk('appeal.title'));
    expect(await page.textContent('label[for="a-text"]')).toBe(w.kk('field.text'));
    expect(await page.evaluate(() => localStorage.getItem('qala.lang'))).toBe('kk');
    await shot(page, 'resident-form-kk');

    await page.locator('#appeal-form').getByLabel(w.kk('field.text')).fill(HOT_WATER_KK);
    await page.locator('#appeal-form').getByLabel(w.kk('field.address')).fill(HOT_WATER_ADDRESS);
    await page.setInputFiles('#a-photos', { name: 'su-zhoq.png', mimeType: 'image/png', buffer: PNG });
    expect(await page.textContent('[data-photos-summary]')).toBe(w.kk('photos.selected').replace('{n}', '1'));
    expect(await page.getAttribute('[data-thumbs] img', 'src')).toMatch(/^blob:/);
    await page.click('#appeal-form [type=submit]');
    await page.locator('#receipt').waitFor();
    const number = (await page.textContent('#receipt [data-number]'))?.trim() ?? '';
    expect(number).toMatch(NUMBER);
    filed.hotWater = number;
    const ack = (await page.textContent('#receipt [data-ack]')) ?? '';
    expect(ack).toContain(number);
    expect(ack).toMatch(/Өтінішіңіз/);
    expect(await page.getAttribute('#receipt [data-ack]', 'lang')).toBe('kk');
    expect(await page.textContent('#receipt')).toContain('Ыстық сумен жабдықтау');
    // The deadline is shown as the API gives it, in Astana time, though this browser is in Berlin.
    const api = await centre.api(`/api/v1/appeals/${number}`);
    const [, y, m, day, hh, mm] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(api.body.deadline) ?? [];
    expect(await page.textContent('#receipt')).toContain(`${day}.${m}.${y} ${hh}:${mm}`);
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 'receipt-kk');
    // The photo was read in the browser and arrived whole.
    const staffView = await centre.api(`/api/v1/tickets/${number}`, { token: await centre.login('operator2@qala.demo') });
    expect(staffView.body.attachments).toEqual([expect.objectContaining({ content_type: 'image/png', filename: 'su-zhoq.png' })]);

    await page.click('[data-track-link]');
    await page.locator('#track-result [data-number]').waitFor();
    expect(page.url()).toContain(`#/track/${number}`);
    expect(await page.textContent('#track-result [data-number]')).toBe(number);
    expect(await page.textContent('#track-result')).toContain(w.kk(`status.${api.body.status}`));
    expect(await unnamed(page)).toEqual([]);

    // The choice of language survives a reload; tracking by typing the number works too.
    await page.goto(`${centre.url}/#/track`);
    await page.reload();
    await page.locator('body[data-ready]').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('kk');
    await page.getByLabel(w.kk('track.number')).fill(number.toLowerCase());
    await page.click('#track-form [type=submit]');
    await page.locator('#track-result [data-number]').waitFor();
    expect(await page.textContent('#track-result [data-number]')).toBe(number);
    await page.getByLabel(w.kk('track.number')).fill('AST-2026-999999');
    await page.click('#track-form [type=submit]');
    await expect.poll(() => page.textContent('#view-track [data-status]')).toBe(w.kk('track.not_found'));
  });

  it('(a) works on a phone screen', async () => {
    const page = await open({ width: 390, height: 844 });
    await page.click('[data-lang="kk"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.fill('#a-text', HOT_WATER_KK);
    await page.screenshot({ path: `${SHOTS}resident-phone-kk.png` });
  });

  it('(b) markup in an appeal is shown as text and never runs', async () => {
    const page = await open();
    await page.fill('#a-text', XSS_TEXT);
    // A street the gazetteer does not know, so the ticket keeps the address as the resident typed it.
    await page.fill('#a-address', `Жаңа көше, 40 ${IMG}`);
    await page.fill('#a-name', `${SCRIPT}Асель`);
    await page.click('#appeal-form [type=submit]');
    await page.locator('#receipt').waitFor();
    filed.xss = (await page.textContent('#receipt [data-number]'))?.trim() ?? '';
    expect(filed.xss).toMatch(NUMBER);
    expect(await xssFlag(page)).toBeUndefined();

    const staff = await open();
    await login(staff, 'operator1@qala.demo');
    await staff.selectOption('#s-status', '');
    await staff.locator(`[data-row="${filed.xss}"]`).waitFor();
    expect(await staff.textContent(`[data-row="${filed.xss}"]`)).toContain(IMG);
    await openTicket(staff, filed.xss);
    expect(await staff.textContent('#staff-ticket .msg-in .msg-text')).toBe(XSS_TEXT);
    expect(await staff.textContent('#staff-ticket .facts')).toContain(`Жаңа көше, 40 ${IMG}`);
    expect(await staff.textContent('#staff-ticket .facts')).toContain(`${SCRIPT}Асель`);
    expect(await staff.locator('img[src="x"], #staff-ticket script').count()).toBe(0);
    expect(await xssFlag(staff)).toBeUndefined();
  });

  it('(c) an operator opens a ticket, reassigns it, rejects another with a reason, and files a 109 call', async () => {
    const page = await open();
    await login(page, 'operator1@qala.demo');
    const w = await words(page);
    expect(await page.locator('#staff-list tbody tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-who]')).toContain(w.ru('role.operator'));
    // The status filter asks the API for the chosen statuses only.
    await page.selectOption('#s-status', 'rejected');
    await expect
      .poll(
        async () =>
          await page.$$eval('#staff-list tbody .badge[data-status]', (b) => b.filter((x) => x.getAttribute('data-status') !== 'rejected').length),
      )
      .toBe(0);

    await openTicket(page, filed.hotWater);
    for (const key of ['ticket.details', 'ticket.conversation', 'ticket.triage', 'ticket.routing', 'ticket.history', 'ticket.actions']) {
      expect(await page.locator('#staff-ticket h2', { hasText: w.ru(key) }).count()).toBe(1);
    }
    expect(await page.textContent('#staff-ticket .msg-in .msg-text')).toBe(HOT_WATER_KK);
    expect(await page.locator('#staff-ticket .trace li.matched').count()).toBeGreaterThan(0);
    const before = await centre.api(`/api/v1/appeals/${filed.hotWater}`);
    expect(before.body.organisation.id).not.toBe('astana-su-arnasy');

    expect(await unnamed(page)).toEqual([]);
    await page.click('[data-action="assign"]');
    await page.selectOption('#act-organisation', 'astana-su-arnasy');
    await page.click('[data-action-form] [type=submit]');
    await expect.poll(() => page.textContent('[data-notice]')).toContain(w.ru('status.assigned'));
    expect(await page.textContent('#staff-ticket .facts')).toContain('Астана Су Арнасы');
    expect((await centre.api(`/api/v1/appeals/${filed.hotWater}`)).body.organisation.id).toBe('astana-su-arnasy');
    await shot(page, 'operator-ticket');

    await openTicket(page, filed.xss);
    const statusBefore = await page.getAttribute('#staff-ticket .title-row .badge', 'data-status');
    expect(statusBefore).not.toBe('rejected');
    await page.click('[data-action="reject"]');
    expect(await unnamed(page)).toEqual([]);
    await page.click('[data-action-form] [type=submit]'); // no reason yet: refused in the page
    expect(await page.getAttribute('#act-reason', 'aria-invalid')).toBe('true');
    await page.fill('#act-reason', 'Фонари на Кенесары, 40 уже заменены, это повтор.');
    await page.click('[data-action-form] [type=submit]');
    await expect.poll(() => page.getAttribute('#staff-ticket .title-row .badge', 'data-status')).toBe('rejected');
    expect(await page.textContent('#staff-ticket .title-row .badge')).toBe(w.ru('status.rejected'));
    expect(await page.textContent('#staff-ticket .history')).toContain('Фонари на Кенесары, 40 уже заменены');
    expect((await centre.api(`/api/v1/appeals/${filed.xss}`)).body.status).toBe('rejected');
    expect(await page.locator('[data-action="reopen"]').count()).toBe(1);
    await shot(page, 'operator-ticket-rejected');

    await page.click('[data-sub="phone"]');
    await page.locator('#phone-form').waitFor();
    expect(await unnamed(page)).toEqual([]);
    await page.fill('#p-text', 'Звонок: на проспекте Республики, 24 прорвало трубу холодной воды, вода заливает подвал.');
    await page.fill('#p-address', 'проспект Республики, 24');
    await page.fill('#p-name', 'Ержан');
    await page.fill('#p-phone', '+7 701 555 12 34');
    await page.click('#phone-form [type=submit]');
    await page.locator('#phone-receipt [data-number]').waitFor();
    const phoneNumber = (await page.textContent('#phone-receipt [data-number]'))?.trim() ?? '';
    expect(phoneNumber).toMatch(NUMBER);
    const token = await centre.login('operator1@qala.demo');
    const phoneTicket = await centre.api(`/api/v1/tickets/${phoneNumber}`, { token });
    expect(phoneTicket.body.channel).toBe('phone');
    expect(phoneTicket.body.resident?.phone).toBe('+7 701 555 12 34');
    expect(problems).toEqual([]);
  });

  it('(d) an executor of Astana Su Arnasy sees only their organisation’s tickets', async () => {
    const page = await open();
    await login(page, 'executor.water@qala.demo');
    const w = await words(page);
    await page.selectOption('#s-status', '');
    await page.locator(`[data-row="${filed.hotWater}"]`).waitFor();
    const rows = await page.$$eval('#staff-list tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-row')));
    const token = await centre.login('executor.water@qala.demo');
    const mine = await centre.api('/api/v1/tickets?limit=500', { token });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows)).toEqual(new Set(mine.body.tickets.map((t: { number: string }) => t.number)));
    const organisations = await page.$$eval('#staff-list tbody td:nth-child(5)', (tds) => [...new Set(tds.map((td) => td.textContent))]);
    expect(organisations).toHaveLength(1);
    expect(organisations[0]).toContain('Астана Су Арнасы');
    expect(rows).not.toContain(filed.xss);
    expect(await page.isHidden('[data-phone-link]')).toBe(true);
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 'executor-list');

    // In English, the same list names the organisation in English (from the reference data, not the user's locale).
    await page.click('[data-lang="en"]');
    await expect.poll(() => page.textContent('#staff-list thead')).toContain(w.en('col.organisation'));
    expect(await page.textContent(`[data-row="${filed.hotWater}"]`)).toContain('Astana Su Arnasy (city water supply');
    await page.click('[data-lang="ru"]');

    // Someone else's ticket, opened by its address, is refused.
    await page.goto(`${centre.url}/#/staff/ticket/${filed.xss}`);
    await expect.poll(() => page.textContent('[data-notice]')).toBe(w.ru('error.forbidden'));
    expect(problems).toEqual([]);
  });

  it('(e) a supervisor sees what triage learns and asks for a retrain; an executor has no such view', async () => {
    const page = await open();
    await login(page, 'supervisor@qala.demo');
    const w = await words(page);
    await page.click('[data-lang="kk"]');
    await page.click('[data-learning-link]');
    await expect.poll(() => page.textContent('#staff-learning h2')).toBe(w.kk('learning.title'));
    await expect.poll(() => page.textContent('#staff-learning')).toContain(w.kk('learning.engine.keywords')); // the figures load after the heading
    await page.click(`#staff-learning button:has-text("${w.kk('learning.retrain')}")`);
    await expect.poll(() => page.textContent('#staff-learning [data-status]')).toContain(String(centre.ctx.city.triage.model.min_examples));
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 'learning-kk');

    const executor = await open();
    await login(executor, 'executor.water@qala.demo');
    expect(await executor.isHidden('[data-learning-link]')).toBe(true);
    expect(problems).toEqual([]);
  });
});
