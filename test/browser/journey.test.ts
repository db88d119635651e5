// One appeal's whole journey in a real browser (Debian's Chromium, playwright-core) on one real centre, the way the
// people meet the product: a resident on a phone files in Kazakh with a pin and a photo, and tracks it; the situation
// centre is open in Kazakh before anyone acts; an operator (Russian) finds the ticket by search, corrects its category
// and organisation in one click and replies with a template that reaches the resident in Kazakh; the executor of the
// new organisation accepts and resolves on a phone with a proof photo; the resident confirms and rates; the situation
// centre, never reloaded, shows the change; the public page and the open data carry no trace of the resident. The
// whole run has no page or console errors, no request leaving the machine, and the resident's markup never runs.
// Every screen is photographed in kk and ru: $QALA_SCREENSHOTS (or /tmp/shots)/journey-NN-<step>-<lang>.png.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words, xssFlag } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const photo = (name: string) => ({ name, mimeType: 'image/png', buffer: PNG });
const IMG = '<img src=x onerror="window.__xss=1">';
const NAME = 'Айгүл Серікқызы';
const PHONE_NUMBER = '+7 701 555 12 34';
const WORDS = 'Абай даңғылы 10 үйдің жанында жол шұңқыр, көлік бұзылады';
const TEXT = `Менің атым ${NAME}, тел. ${PHONE_NUMBER}. ${WORDS} ${IMG}`;
/** What must never reach the public: the name, the phone number in any spelling, the resident's words, the markup. */
const PERSONAL = [NAME, 'Айгүл', 'Серікқызы', PHONE_NUMBER, '555 12 34', '7015551234', 'Менің атым', 'жол шұңқыр', 'көлік бұзылады', 'onerror'];
type Lang = 'ru' | 'kk';

describe.skipIf(!existsSync(CHROMIUM))('one appeal’s journey, from the resident to the public page', () => {
  let centre: TestCentre;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const problems: string[] = [];
  const outside: string[] = [];
  // What the journey learns as it goes.
  let number = '';
  let pinLat = '';
  let fix = { category: '', organisation: '', executor: '' };
  let resident: Page;
  let situation: Page;
  let kpisBefore = { open: 0, received: 0 };

  const shot = (page: Page, n: number, step: string, lang: Lang) =>
    page.screenshot({ path: `${SHOTS}/journey-${String(n).padStart(2, '0')}-${step}-${lang}.png`, fullPage: true });

  /** A page in a context of its own, in `lang`, watched for errors, outside requests and the XSS canary. */
  async function open(path: string, lang: Lang, viewport = PHONE): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: lang === 'kk' ? 'kk-KZ' : 'ru-RU' });
    contexts.push(context);
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(centre.url) && !/^(data|blob):/.test(r.url())) outside.push(r.url());
    });
    await page.goto(centre.url + path);
    await page.locator('body[data-ready]').waitFor();
    return page;
  }

  async function signedIn(email: string, lang: Lang, viewport = LAPTOP): Promise<Page> {
    const page = await open('/#/staff', lang, viewport);
    await page.click(`[data-lang="${lang}"]`);
    await page.fill('#l-email', email);
    await page.fill('#l-password', 'demo-password-1');
    await page.click('#login-form [type=submit]');
    await page.locator('#staff-list table.tickets').waitFor();
    return page;
  }

  const ticket = () => centre.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  const kpi = (k: string) => situation.locator(`#view-situation [data-kpi="${k}"] .kpi-value`).getAttribute('data-value').then(Number);
  const point = () => situation.locator(`#view-situation .district-map a[href="#/staff/ticket/${number}"]`);
  /** How far a table sticks out of its scrolling box (more than 0: the last columns are cut off on screen). */
  const overflow = (page: Page, table: string) =>
    page.$eval(table, (t) => (t.parentElement as HTMLElement).scrollWidth - (t.parentElement as HTMLElement).clientWidth);
  /** How far the page is wider than a phone's screen (more than 0: it scrolls sideways). */
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const badge = (page: Page) => page.getAttribute('#staff-ticket .title-row .badge', 'data-status');

  /** The resident looks the appeal up again by its number (the tracking page does not refresh by itself). */
  async function trackAgain() {
    await resident.fill('#t-number', number);
    await resident.click('#track-form [type=submit]');
    await resident.locator(`#track-result [data-view="own"] h2[data-number]:text-is("${number}")`).waitFor();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    centre = await startTestCentre();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await centre?.close();
  });

  it('1. a resident files in Kazakh on a phone with a pin and a photo, gets the number, and tracks it', async () => {
    resident = await open('/#/appeal', 'kk');
    await resident.click('[data-lang="kk"]');
    const kk = (await words(resident)).kk;
    await expect.poll(() => resident.textContent('#appeal-h')).toBe(kk('appeal.title'));
    await resident.fill('#a-text', TEXT);
    await resident.fill('#a-address', 'Абай даңғылы, 10');
    // The pin: a tap inside the Esil district, where a finger would land.
    const map = resident.locator('#appeal-form svg.district-map');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    const spot = await resident.evaluate(() => {
      const box = (document.querySelector('#appeal-form svg.district-map') as SVGSVGElement).getBoundingClientRect();
      for (let y = box.top + 4; y < box.bottom; y += 5)
        for (let x = box.left + 4; x < box.right; x += 5)
          if (document.elementFromPoint(x, y)?.matches('path.district[data-district="esil"]')) return { x, y };
      return null;
    });
    expect(spot).not.toBeNull();
    await resident.mouse.click(spot?.x ?? 0, spot?.y ?? 0);
    await resident.locator('[data-pin-chosen]:not([hidden])').waitFor();
    pinLat = await resident.inputValue('#a-lat');
    await resident.fill('#a-name', NAME);
    await resident.fill('#a-phone', PHONE_NUMBER);
    await resident.setInputFiles('#a-photos', [photo('shunkyr.png')]);
    await resident.locator('[data-thumbs] img').waitFor();
    await shot(resident, 1, 'appeal-form', 'kk');

    await resident.click('#appeal-form [type=submit]');
    await resident.locator('#receipt:not([hidden]) [data-number]').waitFor();
    number = (await resident.textContent('#receipt [data-number]'))?.trim() ?? '';
    expect(number).toMatch(/^AST-\d{4}-\d{6}$/);
    expect(await resident.textContent('#receipt')).toContain(kk('receipt.number'));
    expect(await resident.getAttribute('#receipt [data-ack]', 'lang')).toBe('kk');
    expect(await resident.textContent('#receipt [data-ack]')).toContain(number);
    // The private key is given once and kept on this phone.
    const key = (await resident.inputValue('#r-link')).split('key=')[1] ?? '';
    const stored = await resident.evaluate(() => JSON.parse(localStorage.getItem('qala.appeals') ?? '[]'));
    expect(stored).toEqual([expect.objectContaining({ number, key })]);
    await shot(resident, 2, 'receipt', 'kk');

    // What triage made of it; the operator will correct the category to another one.
    const t = await ticket();
    expect([t.language, t.district, t.status]).toEqual(['kk', 'esil', 'assigned']);
    fix =
      t.category === 'YARD'
        ? { category: 'ROAD', organisation: 'dept-transport', executor: 'executor.roads@qala.demo' }
        : { category: 'YARD', organisation: 'akimat-esil', executor: 'executor.esil@qala.demo' };
    // The photo came with the words.
    const own = await centre.api(`/api/v1/appeals/${number}`, { headers: { 'x-appeal-key': key } });
    expect(own.body.conversation[0]).toMatchObject({ from: 'resident', attachments: 1 });

    // Tracking by number, from the navigation: the resident's own view, the status in Kazakh.
    await resident.click('nav.tabs a[data-route="track"]');
    await trackAgain();
    expect(await resident.textContent('#track-result .badge[data-status]')).toBe(kk('status.assigned'));
    expect(await resident.textContent('#track-result .conversation')).toContain(IMG);
    expect(await resident.locator('#track-result img').count()).toBe(0);
    expect(await xssFlag(resident)).toBeUndefined();
    expect(await unnamed(resident)).toEqual([]);
    expect(await sideways(resident)).toBeLessThanOrEqual(0);
    await shot(resident, 3, 'track', 'kk');
  }, 120_000);

  it('2. the situation centre is open in Kazakh before anyone acts, with the new ticket on its map', async () => {
    situation = await signedIn('supervisor@qala.demo', 'kk');
    await situation.click('nav.tabs a[data-route="situation"]');
    await situation.locator('#view-situation [data-live][data-state="live"]').waitFor({ timeout: 20_000 });
    await point().waitFor({ state: 'attached' });
    kpisBefore = { open: await kpi('open'), received: await kpi('received') };
    expect(kpisBefore.open).toBeGreaterThan(0);
    expect(kpisBefore.received).toBeGreaterThan(0);
    await situation.evaluate(() => {
      (window as unknown as { __same?: boolean }).__same = true;
    });
    expect(await situation.textContent('#situation-h')).toBe((await words(situation)).kk('sit.title'));
    await shot(situation, 4, 'situation-before', 'kk');
    expect(await overflow(situation, '#view-situation table.league')).toBeLessThanOrEqual(0);
  }, 60_000);

  it('3. the operator finds the ticket by search, corrects the category in one click, replies with a template in Kazakh', async () => {
    const page = await signedIn('operator1@qala.demo', 'ru');
    const ru = (await words(page)).ru;
    await page.fill('#s-q', 'шұңқыр');
    await page.press('#s-q', 'Enter');
    await page.waitForFunction(() => location.hash.includes('q='));
    await page.locator(`tr[data-row="${number}"]`).waitFor();
    await shot(page, 5, 'console-list', 'ru');
    expect(await overflow(page, '#staff-list table.tickets')).toBeLessThanOrEqual(0);
    await page.click(`[data-ticket-link="${number}"]`);
    await page.locator('#staff-ticket [data-number]').waitFor();
    expect(await page.locator('#staff-ticket').textContent()).toContain(IMG);
    expect(await xssFlag(page)).toBeUndefined();

    // One click: the category (and the district akimat that answers for courtyards) saved together.
    await page.selectOption('#fix-category', fix.category);
    await page.selectOption('#fix-organisation', fix.organisation);
    await page.click('[data-fix-form] [type=submit]');
    await page.locator('[data-notice]', { hasText: ru('console.fix.saved') }).waitFor();
    const corrected = await ticket();
    expect([corrected.category, corrected.organisation_id]).toEqual([fix.category, fix.organisation]);
    const label = await centre.ctx.db
      .selectFrom('labels')
      .select(['value'])
      .where('message_id', '=', corrected.source_message_id)
      .where('field', '=', 'category')
      .executeTakeFirst();
    expect(label?.value).toBe(fix.category);

    // A template, already in the resident's language, sent as it is.
    await page.locator('#reply-template option[value="reply.in_control"]').waitFor({ state: 'attached' });
    expect(await page.textContent('#reply-template option[value="reply.in_control"]')).toBe(ru('template.reply.in_control'));
    await page.selectOption('#reply-template', 'reply.in_control');
    const reply = await page.inputValue('#reply-text');
    expect(reply).toContain(number);
    expect(reply).toContain('бақылауында');
    await page.click('[data-reply-send]');
    await page.locator('[data-notice]', { hasText: ru('console.reply.sent') }).waitFor();
    await shot(page, 6, 'console-ticket', 'ru');

    // It reaches the resident in Kazakh, on the channel they used: delivered, and in their own view.
    const delivered = await waitFor('the reply to be delivered', async () => {
      const rows = await centre.ctx.db
        .selectFrom('outbox')
        .select(['payload', 'status'])
        .where('ticket_id', '=', corrected.id)
        .where('status', '=', 'sent')
        .execute();
      return rows.find((r) => (r.payload as { template?: string }).template === 'reply');
    });
    expect((delivered.payload as { language?: string }).language).toBe('kk');
    await trackAgain();
    await expect.poll(() => resident.textContent('#track-result .conversation')).toContain('бақылауында');
    const kk = (await words(resident)).kk;
    expect(await resident.textContent('#track-result .conversation')).toContain(kk('track.from.city'));
    await shot(resident, 7, 'track-reply', 'kk');

    // The same console in Kazakh, for a Kazakh-speaking operator.
    const other = await signedIn('operator2@qala.demo', 'kk');
    await other.fill('#s-q', 'шұңқыр');
    await other.press('#s-q', 'Enter');
    await other.locator(`tr[data-row="${number}"]`).waitFor();
    await shot(other, 5, 'console-list', 'kk');
    // With Kazakh headings the list still fits a laptop screen: the deadline column is not cut off.
    expect(await overflow(other, '#staff-list table.tickets')).toBeLessThanOrEqual(0);
    await other.click(`[data-ticket-link="${number}"]`);
    await other.locator('#staff-ticket [data-number]').waitFor();
    await other.locator('#reply-template option[value="reply.in_control"]').waitFor({ state: 'attached' });
    expect(await other.textContent('#t-fix')).toBe((await words(other)).kk('console.fix.title'));
    expect(await xssFlag(other)).toBeUndefined();
    expect(await unnamed(other)).toEqual([]);
    await shot(other, 6, 'console-ticket', 'kk');
  }, 120_000);

  it('4. the executor of the new organisation accepts and resolves on a phone, with a note and a proof photo', async () => {
    const page = await signedIn(fix.executor, 'kk', PHONE);
    const w = await words(page);
    await page.locator(`tr[data-row="${number}"]`).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await shot(page, 8, 'executor-queue', 'kk');
    await page.click('[data-lang="ru"]');
    await expect.poll(() => page.textContent('#list-h')).toBe(w.ru('list.title'));
    await shot(page, 8, 'executor-queue', 'ru');
    await page.click('[data-lang="kk"]');
    await page.click(`[data-ticket-link="${number}"]`);
    await page.locator('#staff-ticket [data-number]').waitFor();
    expect(await xssFlag(page)).toBeUndefined();
    await page.click('[data-action="accept"]');
    await page.click('[data-action-form] [type=submit]');
    await expect.poll(() => badge(page)).toBe('in_progress');
    await page.click('[data-action="resolve"]');
    await page.fill('#act-note', 'Шұңқыр асфальтпен жабылды');
    await page.setInputFiles('#act-proof', [photo('after.png')]);
    await shot(page, 9, 'executor-resolve', 'kk');
    await page.click('[data-action-form] [type=submit]');
    await expect.poll(() => badge(page)).toBe('resolved');
    expect(await page.textContent('#staff-ticket .title-row .badge')).toBe(w.kk('status.resolved'));
    await page.locator('.work-note-proof img').waitFor();
    expect(await page.textContent('#staff-ticket .notes')).toContain('Шұңқыр асфальтпен жабылды');
    expect(await xssFlag(page)).toBeUndefined();
    expect(await unnamed(page)).toEqual([]);
    await shot(page, 10, 'executor-resolved', 'kk');
    // The same card in Russian.
    await page.click('[data-lang="ru"]');
    await expect.poll(() => page.textContent('#staff-ticket .title-row .badge')).toBe(w.ru('status.resolved'));
    await shot(page, 10, 'executor-resolved', 'ru');
  }, 120_000);

  it('5. the resident confirms and rates on the phone with the key kept there; the tracking page in Russian too', async () => {
    const kk = (await words(resident)).kk;
    await trackAgain();
    await resident.locator('#loop-confirm').waitFor();
    expect(await resident.textContent('#track-result .badge[data-status]')).toBe(kk('status.resolved'));
    await shot(resident, 11, 'track-resolved', 'kk');
    await resident.click('#loop-confirm [type=submit]');
    await resident.locator('#track-result .badge[data-status="closed"]').waitFor();
    expect(await resident.textContent('#view-track [data-status]')).toBe(kk('loop.confirmed'));
    await resident.click('label[for="score-5"]');
    await resident.fill('#loop-comment', 'Тез жөндеді, рақмет');
    await resident.click('#loop-rate [type=submit]');
    await resident.locator('#loop-rate [data-rating="5"]').waitFor();
    const t = await ticket();
    const rating = await centre.ctx.db.selectFrom('ratings').selectAll().where('ticket_id', '=', t.id).executeTakeFirstOrThrow();
    expect([t.status, rating.score, rating.comment]).toEqual(['closed', 5, 'Тез жөндеді, рақмет']);
    expect(await xssFlag(resident)).toBeUndefined();
    await shot(resident, 12, 'track-closed', 'kk');

    // The same tracking page in Russian: names in Russian, the conversation in the resident's own words.
    await resident.click('[data-lang="ru"]');
    const ru = (await words(resident)).ru;
    await expect.poll(() => resident.textContent('#track-result .badge[data-status]')).toBe(ru('status.closed'));
    expect(await resident.textContent('#track-h')).toBe(ru('track.title'));
    await shot(resident, 12, 'track-closed', 'ru');
    // The receipt and the form, in Russian too.
    await resident.click('nav.tabs a[data-route="appeal"]');
    await resident.locator('#receipt:not([hidden]) [data-number]').waitFor();
    expect(await resident.textContent('#receipt')).toContain(ru('receipt.number'));
    await shot(resident, 2, 'receipt', 'ru');
    await resident.click('#receipt [data-new]');
    await resident.locator('#appeal-form:not([hidden])').waitFor();
    await shot(resident, 1, 'appeal-form', 'ru');
  }, 60_000);

  it('6. the situation centre, never reloaded, shows the change: one fewer open ticket, its point gone', async () => {
    await situation.waitForFunction(
      (n) => Number(document.querySelector('#view-situation [data-kpi="open"] .kpi-value')?.getAttribute('data-value')) === n,
      kpisBefore.open - 1,
      { timeout: 30_000 },
    );
    await point().waitFor({ state: 'detached' });
    expect(await kpi('received')).toBe(kpisBefore.received);
    expect(await situation.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    expect(await unnamed(situation)).toEqual([]);
    await shot(situation, 13, 'situation-after', 'kk');
    await situation.click('[data-lang="ru"]');
    await expect.poll(() => situation.textContent('#situation-h')).toBe((await words(situation)).ru('sit.title'));
    await shot(situation, 13, 'situation-after', 'ru');
  }, 60_000);

  it('7. the public page and the open data show the closed ticket and no trace of the resident', async () => {
    const page = await open('/#/public', 'kk');
    await page.click('[data-lang="kk"]');
    await page.locator('#view-public[data-loaded]').waitFor();
    expect(await page.textContent('#public-h')).toBe((await words(page)).kk('public.title'));
    const personal = (where: string, s: string) => {
      for (const p of PERSONAL) expect(s, `${p} in ${where}`).not.toContain(p);
      expect(s, `the exact pin in ${where}`).not.toContain(pinLat);
    };
    personal('the public page', await page.content());
    expect(await xssFlag(page)).toBeUndefined();
    await shot(page, 14, 'public', 'kk');
    await page.click('[data-lang="ru"]');
    await expect.poll(() => page.textContent('#public-h')).toBe((await words(page)).ru('public.title'));
    await page.locator('#view-public[data-loaded]').waitFor();
    personal('the public page in Russian', await page.content());
    await shot(page, 14, 'public', 'ru');

    for (const lang of ['kk', 'ru']) {
      const csv = await centre.api(`/api/v1/public/reports.csv?lang=${lang}`);
      expect(csv.status).toBe(200);
      const row = csv.text.split('\r\n').find((l) => l.startsWith(`${number},`));
      expect(row).toContain(`,${fix.category},`);
      expect(row).toContain(',closed,');
      personal(`reports.csv (${lang})`, csv.text);
      const geo = await centre.api(`/api/v1/public/reports.geojson?lang=${lang}`);
      expect(geo.status).toBe(200);
      const feature = geo.body.features.find((f: { id: string }) => f.id === number);
      expect(feature.properties).toMatchObject({ category: fix.category, district: 'esil', status: 'closed' });
      personal(`reports.geojson (${lang})`, geo.text);
    }

    // The whole run: no errors, nothing asked of another machine, and the resident's markup never ran anywhere.
    for (const p of pages) if (!p.isClosed()) expect(await xssFlag(p)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  }, 60_000);
});
