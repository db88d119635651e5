// A spike alert reaching the situation centre live, in a real browser (Debian's Chromium) against a real centre: a
// supervisor has the situation centre open in Kazakh; a burst is planted in one category × district and the spikes
// sweep runs; the alert appears in the "spike alerts" panel without a reload, marked new and announced in the live
// region, with its link to the Spikes tab and the button that makes an incident.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spikeSweep } from '../../src/analytics/spike-sweep.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { startTestCentre, storeTriaged, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, signIn, unnamed, watchPage, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const HOUR = 3_600_000;
const CELL = { category: 'ELEC', district: 'nura' };

describe.skipIf(!existsSync(CHROMIUM))('a spike alert in the situation centre', () => {
  let centre: TestCentre;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  /** Ten messages from ten residents in the last hour, triaged into one cell that has no history. */
  async function plantBurst(now: Date) {
    const db = centre.ctx.db;
    for (let i = 0; i < 10; i++) {
      const resident = await db.insertInto('residents').values({ name: 'Ерлан Сейітов' }).returning('id').executeTakeFirstOrThrow();
      await storeTriaged(
        db,
        {
          channel: 'telegram',
          external_id: `spike-live-${i}`,
          text: `Жарық жоқ, Нұра ауданы, ${i + 1}-үй`,
          resident_id: resident.id,
          received_at: new Date(now.getTime() - HOUR + i * 60_000),
        },
        { ...CELL, language: 'kk' },
      );
    }
  }

  beforeAll(async () => {
    centre = await startTestCentre();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'kk-KZ' });
    page = await context.newPage();
    watchPage(page, centre.url, problems);
    await mkdir(SHOTS, { recursive: true });
    await signIn(page, centre.url, 'supervisor@qala.demo', 'kk');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  it('shows a new alert without a reload, marked new and announced, with its links', async () => {
    const w = await words(page);
    await page.locator('nav.tabs a[data-route="situation"]').click();
    const panel = page.locator('#view-situation section.sit-spikes');
    expect(await panel.locator('h2').textContent()).toBe(w.kk('sit.spikes'));
    // No spike yet: the panel says so; the stream is live.
    await panel.locator('[data-spikes] p.muted', { hasText: w.kk('spikes.none') }).waitFor();
    await page.locator('#view-situation [data-live][data-state="live"]').waitFor({ timeout: 20_000 });
    await page.evaluate(() => {
      (window as unknown as { __same?: boolean }).__same = true;
    });

    const now = new Date();
    await plantBurst(now);
    expect((await sweepOnce(centre.ctx, [spikeSweep], now)).spikes).toBeGreaterThanOrEqual(1);
    const alert = await centre.ctx.db
      .selectFrom('spike_alerts')
      .select(['id', 'observed'])
      .where('category', '=', CELL.category)
      .where('district', '=', CELL.district)
      .executeTakeFirstOrThrow();

    const item = panel.locator(`li[data-spike="${alert.id}"]`);
    await item.waitFor({ timeout: 30_000 });
    // Marked new, named in Kazakh, with its counts.
    expect(await item.getAttribute('class')).toContain('fresh');
    expect(await item.locator('.badge.new').textContent()).toBe(w.kk('spikes.new'));
    const category = centre.ctx.city.categories.find((x) => x.code === CELL.category)?.name.kk as string;
    const district = centre.ctx.city.city.districts.find((d) => d.id === CELL.district)?.name.kk as string;
    expect(await item.locator('a[href="#/analytics/spikes"]').textContent()).toBe(`${category} — ${district}`);
    expect(await item.textContent()).toContain(`${alert.observed} келді`);
    // A supervisor may make an incident of it.
    expect(await item.locator('button[data-make-incident]').textContent()).toBe(w.kk('spikes.make'));
    // Announced in the live region for screen readers.
    const announced = await page.locator('#view-situation [data-announce]').textContent();
    expect(announced).toContain(category);
    expect(announced).toContain(district);
    expect(await page.locator('#view-situation [data-announce]').getAttribute('role')).toBe('status');
    // The same page, never reloaded.
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    expect(await unnamed(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/situation-spike-kk.png`, fullPage: true });

    // The link opens the Spikes tab with the alert and the messages behind it.
    await item.locator('a[href="#/analytics/spikes"]').click();
    await page.locator('.spikes-list article.spike h3', { hasText: district }).first().waitFor();
    expect(problems).toEqual([]);
  }, 90_000);
});
