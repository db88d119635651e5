// The public map and the resident's map pin in a real browser (Debian's Chromium via playwright-core) on a 360 px
// phone screen, against a real centre: the public page in Kazakh shows the district map, the counts and the download
// links, and none of the personal data residents wrote in their appeals; filing with a tap on the map sends lat/lon.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const PHONE = { width: 360, height: 740 };
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const PERSONAL = [
  'Жанар Абдыкаримова',
  '+7 701 555 44 33',
  'zhanar.test@example.kz',
  '@zhanar_a',
  'кв. 12',
  'Сарыарқа 17',
  '51.128431',
  'Мурат Сейтжанов',
  '+7 702 123 45 67',
  'murat@example.kz',
];
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe.skipIf(!HAVE_CHROMIUM)('the public map and the map pin, on a phone', () => {
  let centre: TestCentre;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function open(path: string, language: 'ru' | 'kk'): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: language === 'kk' ? 'kk-KZ' : 'ru-RU' });
    contexts.push(context);
    await context.addInitScript((l) => localStorage.setItem('qala.lang', l), language);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(centre.url + path);
    await page.locator('body[data-ready]').waitFor();
    return page;
  }
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    centre = await startTestCentre();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const appeals = [
      {
        text: 'Меня зовут Жанар Абдыкаримова, кв. 12, телефон +7 701 555 44 33, почта zhanar.test@example.kz, @zhanar_a. Нет горячей воды.',
        address: 'ул. Сарыарқа 17, кв. 12',
        lat: 51.128431,
        lon: 71.430917,
        contact: { name: 'Жанар Абдыкаримова', phone: '+7 701 555 44 33', email: 'zhanar.test@example.kz' },
      },
      {
        text: 'Не горит уличное освещение во дворе, пишите murat@example.kz или звоните +7 702 123 45 67, Мурат Сейтжанов',
        lat: 51.095,
        lon: 71.47,
        contact: { name: 'Мурат Сейтжанов', phone: '+7 702 123 45 67' },
      },
    ];
    for (const body of appeals) expect((await centre.api('/api/v1/appeals', { body })).status).toBe(201);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await centre?.close();
  });

  it('shows the public page in Kazakh: the map, the counts, the downloads, and no personal data', async () => {
    const page = await open('/#/public', 'kk');
    const kk = (await words(page)).kk;
    await page.locator('#view-public[data-loaded]').waitFor();
    expect(await page.textContent('#public-h')).toBe(kk('public.title'));
    // The map: every district drawn, the reported places as dots.
    // (Every district that has a polygon in the configuration's GeoJSON.)
    const districts = (centre.ctx.city.geojson as { features: unknown[] }).features.length;
    expect(await page.locator('#view-public svg.district-map path.district').count()).toBe(districts);
    expect(await page.locator('#view-public svg.district-map .map-points circle').count()).toBeGreaterThanOrEqual(2);
    // The counts are the API's.
    const summary = (await centre.api('/api/v1/public/summary?lang=kk')).body;
    expect(await page.textContent('[data-kpi="total"] .kpi-value')).toBe(String(summary.totals.total));
    const esil = summary.districts.find((d: { id: string }) => d.id === 'esil');
    expect(await page.textContent('[data-table="districts"] tr[data-row="esil"] th')).toBe(esil.name);
    expect(await page.textContent('[data-table="districts"] tr[data-row="esil"] td')).toBe(String(esil.total));
    expect(await page.locator('[data-table="categories"] tbody tr').count()).toBe(summary.categories.length);
    // The downloads follow the page's language.
    expect(await page.getAttribute('[data-download="csv"]', 'href')).toMatch(/^\/api\/v1\/public\/reports\.csv\?.*lang=kk/);
    expect(await page.getAttribute('[data-download="geojson"]', 'href')).toMatch(/^\/api\/v1\/public\/reports\.geojson\?.*lang=kk/);
    // Nothing a resident gave about themselves, in the text or anywhere in the document (tooltips included).
    const html = await page.content();
    const text = (await page.textContent('body')) ?? '';
    for (const s of PERSONAL) {
      expect(html).not.toContain(s);
      expect(text).not.toContain(s);
    }
    expect(await unnamed(page)).toEqual([]);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/public-kk-360.png`, fullPage: true });

    // A filter narrows the counts to one district.
    await page.selectOption('#pub-district', 'esil');
    await page.click('#public-filters [type=submit]');
    await expect.poll(() => page.textContent('[data-kpi="total"] .kpi-value')).toBe(String(esil.total));
    expect(await page.getAttribute('[data-download="csv"]', 'href')).toContain('district=esil');

    await page.click('[data-lang="ru"]');
    await expect.poll(() => page.textContent('#public-h')).toBe((await words(page)).ru('public.title'));
    await page.locator('#view-public[data-loaded]').waitFor();
    await page.screenshot({ path: `${SHOTS}/public-ru-360.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('files an appeal with a pin tapped on the map: the lat/lon sent are those shown, with a photo, at 360 px', async () => {
    const page = await open('/#/appeal', 'ru');
    await page.locator('#appeal-form svg.district-map').waitFor();
    expect(await page.isVisible('[data-pin-none]')).toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/appeal-ru-360.png`, fullPage: true });
    // A point of the screen that is inside a district: that is where a resident's finger would land.
    await page.locator('#appeal-form svg.district-map').scrollIntoViewIfNeeded();
    const spot = await page.evaluate(() => {
      const box = (document.querySelector('#appeal-form svg.district-map') as SVGSVGElement).getBoundingClientRect();
      for (let y = box.top + box.height * 0.4; y < box.bottom; y += 7)
        for (let x = box.left + box.width * 0.4; x < box.right; x += 7)
          if (document.elementFromPoint(x, y)?.matches('path.district')) return { x, y };
      return null;
    });
    expect(spot).not.toBeNull();
    await page.mouse.click(spot?.x ?? 0, spot?.y ?? 0);
    await page.locator('[data-pin-chosen]:not([hidden])').waitFor();
    const lat = Number(await page.inputValue('#a-lat'));
    const lon = Number(await page.inputValue('#a-lon'));
    expect(lat).toBeGreaterThan(50.9);
    expect(lon).toBeGreaterThan(71.1);
    expect(await page.textContent('[data-pin-coords]')).toBe(`${lat.toFixed(5)}, ${lon.toFixed(5)}`);
    expect(await page.locator('#appeal-form .map-pick circle').count()).toBeGreaterThan(0);

    // Clearing takes the pin and the numbers away; a second tap sets them again.
    await page.click('[data-pin-clear]');
    expect([await page.inputValue('#a-lat'), await page.inputValue('#a-lon')]).toEqual(['', '']);
    expect(await page.locator('#appeal-form .map-pick circle').count()).toBe(0);
    await page.mouse.click(spot?.x ?? 0, spot?.y ?? 0);
    await page.locator('[data-pin-chosen]:not([hidden])').waitFor();

    await page.fill('#a-text', 'Во дворе не работает фонарь, темно вечером');
    await page.setInputFiles('#a-photos', { name: 'fonar.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
    await page.screenshot({ path: `${SHOTS}/appeal-pin-ru-360.png`, fullPage: true });
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/v1/appeals') && r.method() === 'POST'),
      page.click('#appeal-form [type=submit]'),
    ]);
    const sent = request.postDataJSON();
    expect([sent.lat, sent.lon]).toEqual([lat, lon]);
    expect(sent.photos).toHaveLength(1);
    await page.locator('#receipt').waitFor();
    const number = (await page.textContent('#receipt [data-number]'))?.trim() ?? '';
    const t = await centre.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    expect([Number(t.lat), Number(t.lon)]).toEqual([lat, lon]);
    expect(t.district).not.toBeNull();
    const photos = await centre.ctx.db.selectFrom('attachments').select('id').where('message_id', '=', t.source_message_id).execute();
    expect(photos).toHaveLength(1);
    // The form is empty again, the pin too.
    await page.click('[data-new]');
    expect(await page.isVisible('[data-pin-none]')).toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    await page.click('[data-lang="kk"]');
    await page.screenshot({ path: `${SHOTS}/appeal-kk-360.png`, fullPage: true });
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
