// The situation centre in a real browser (Debian's Chromium) against a real centre: in Kazakh it draws the district
// map from the configured polygons and the league table, with no request leaving the machine; and it shows the
// change live: a 109 call filed through the API raises "received today" without a reload.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, signIn, unnamed, watchPage, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';

describe.skipIf(!existsSync(CHROMIUM))('the situation centre in a browser', () => {
  let centre: TestCentre;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const outside: string[] = [];

  beforeAll(async () => {
    centre = await startTestCentre();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'kk-KZ' });
    page = await context.newPage();
    watchPage(page, centre.url, problems, outside);
    await mkdir(SHOTS, { recursive: true });
    await signIn(page, centre.url, 'supervisor@qala.demo', 'kk');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  const received = async () => Number(await page.locator('#view-situation [data-kpi="received"] .kpi-value').getAttribute('data-value'));

  it('draws the districts from the configuration and the league table, in Kazakh', async () => {
    const w = await words(page);
    await page.locator('nav.tabs a[data-route="situation"]').click();
    await page.locator('#view-situation .district-map .district').first().waitFor();
    expect(await page.locator('#situation-h').textContent()).toBe(w.kk('sit.title'));
    const districts = await page
      .locator('#view-situation .district-map .district')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-district')));
    expect(districts.sort()).toEqual(
      (centre.ctx.city.geojson as { features: { properties: { id: string } }[] }).features.map((f) => f.properties.id).sort(),
    );
    // Every district's tooltip names it in Kazakh.
    const esil = centre.ctx.city.city.districts.find((d) => d.id === 'esil')?.name.kk as string;
    expect(await page.locator('#view-situation .district[data-district="esil"] title').textContent()).toContain(esil);
    // The demo's tickets are on the map, coloured by their deadline.
    await page.locator('#view-situation .district-map .pt').first().waitFor();
    // The league table: organisations with tickets, sortable from the keyboard.
    const league = page.locator('#view-situation table.league');
    await league.locator('tbody tr').first().waitFor();
    expect(await league.locator('thead th').nth(2).textContent()).toContain(w.kk('kpi.received'));
    await league.locator('button[data-sort="received"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('#view-situation th[aria-sort="descending"] button[data-sort="received"]').waitFor();
    const counts = await league.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[1]?.textContent)));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await page.keyboard.press('Enter');
    await page.locator('#view-situation th[aria-sort="ascending"] button[data-sort="received"]').waitFor();
    // The trends are drawn (charts load on their own).
    await page.locator('#view-situation .chart-figure svg').first().waitFor();
    expect(await unnamed(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/situation-kk.png`, fullPage: true });
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  }, 60_000);

  it('shows the change live: a ticket filed through the API raises "received today" without a reload', async () => {
    await page.locator('#view-situation [data-live][data-state="live"]').waitFor({ timeout: 20_000 });
    const before = await received();
    expect(before).toBeGreaterThan(0);
    await page.evaluate(() => {
      (window as unknown as { __same?: boolean }).__same = true;
    });
    const token = await centre.login('operator1@qala.demo');
    const r = await centre.api('/api/v1/phone-appeals', { token, body: { text: 'Звонок: на Кенесары 40 нет холодной воды с утра' } });
    expect(r.status).toBe(201);
    await page.waitForFunction(
      (n) => Number(document.querySelector('#view-situation [data-kpi="received"] .kpi-value')?.getAttribute('data-value')) === n,
      before + 1,
      { timeout: 30_000 },
    );
    // The same page, never reloaded.
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  }, 60_000);
});
