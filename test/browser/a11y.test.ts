// Accessibility of every screen, in Russian and Kazakh, checked by axe-core (a test-only tool, not shipped) in
// Chromium against a real centre serving the built bundle: no serious or critical violations. And the keyboard: the
// skip link takes focus to the content, and focus is visible.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LANGS = ['ru', 'kk'] as const;
type Lang = (typeof LANGS)[number];

interface Screen {
  name: string;
  /** The hash route to open (after filing or logging in when needed). */
  route: (n: string) => string;
  /** What shows that the screen has drawn its data. */
  ready: string;
  staff?: boolean;
  /** A screen another helper is building: checked when its route exists, otherwise skipped with a message. */
  optional?: boolean;
}

const SCREENS: Screen[] = [
  { name: 'resident form', route: () => '#/appeal', ready: '#appeal-form' },
  { name: 'track', route: (n) => `#/track/${n}`, ready: '#track-result h2' },
  { name: 'staff list', route: () => '#/staff', ready: '#staff-list table.tickets', staff: true },
  { name: 'ticket card', route: (n) => `#/staff/ticket/${n}`, ready: '#staff-ticket [data-number]', staff: true },
  { name: 'learning', route: () => '#/staff/learning', ready: '#staff-learning table, #staff-learning dl', staff: true },
  { name: 'incidents', route: () => '#/staff/incidents', ready: '#staff-incidents h1', staff: true },
  { name: 'situation', route: () => '#/situation', ready: '#view-situation:not([hidden])', staff: true, optional: true },
  { name: 'public map', route: () => '#/public', ready: '#view-public:not([hidden])', optional: true },
  { name: 'administration', route: () => '#/admin', ready: '#view-admin:not([hidden])', staff: true, optional: true },
];

/** axe's serious and critical findings on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE); // through DevTools, so the page's CSP (script-src 'self') does not stand in the way
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!existsSync(CHROMIUM))('accessibility of every screen (axe-core, ru and kk)', () => {
  let centre: TestCentre;
  let browser: Browser;
  let number = '';
  const staffPages: Partial<Record<Lang, Page>> = {};

  async function open(lang: Lang, viewport = { width: 1200, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'ru-RU' });
    await context.addInitScript((l) => localStorage.setItem('qala.lang', l), lang);
    const page = await context.newPage();
    await page.goto(centre.url);
    await page.locator('body[data-ready]').waitFor();
    return page;
  }

  async function login(page: Page) {
    await page.goto(`${centre.url}/#/staff`);
    await page.fill('#l-email', 'supervisor@qala.demo');
    await page.fill('#l-password', 'demo-password-1');
    await page.click('#login-form [type=submit]');
    await page.locator('#staff-list table.tickets').waitFor();
  }

  async function staffPage(lang: Lang): Promise<Page> {
    const known = staffPages[lang];
    if (known) return known;
    const page = await open(lang);
    await login(page);
    staffPages[lang] = page;
    return page;
  }

  beforeAll(async () => {
    centre = await startTestCentre({ QALA_DEMO_FEED: 'off' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const r = await centre.api('/api/v1/appeals', {
      body: { text: 'На улице Кенесары, 40 не горят фонари во дворе, вечером темно.', address: 'Кенесары, 40' },
      headers: { 'idempotency-key': 'a11y-test-appeal-1' },
    });
    if (r.status !== 201) throw new Error(`filing the appeal: ${r.status} ${r.text}`);
    number = r.body.number;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  for (const lang of LANGS) {
    for (const screen of SCREENS) {
      it(`${screen.name} (${lang}) has no serious or critical violations`, async (t) => {
        // One logged-in tab per language (the token lives in the tab's sessionStorage): log-ins are rate limited.
        const page = screen.staff ? await staffPage(lang) : await open(lang);
        await page.goto(`${centre.url}/${screen.route(number)}`);
        const shown = await page
          .locator(screen.ready)
          .first()
          .waitFor({ timeout: screen.optional ? 5_000 : 30_000 })
          .then(
            () => true,
            () => false,
          );
        if (!shown && screen.optional) {
          console.warn(`a11y: ${screen.route('')} is not there yet — skipped`);
          if (!screen.staff) await page.context().close();
          t.skip();
        }
        expect(shown, `${screen.name} did not draw`).toBe(true);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await violations(page)).toEqual([]);
        if (!screen.staff) await page.context().close();
      }, 90_000);
    }

    it(`the receipt after filing (${lang}) has no serious or critical violations`, async () => {
      const page = await open(lang, { width: 390, height: 844 });
      await page.fill('#a-text', 'Во дворе дома на Сарыарке, 12 третий день не вывозят мусор, контейнеры переполнены.');
      await page.fill('#a-address', 'Сарыарка, 12');
      await page.click('#appeal-form [type=submit]');
      await page.locator('#receipt:not([hidden])').waitFor();
      expect(await violations(page)).toEqual([]);
      await page.context().close();
    }, 90_000);
  }

  it('axe finds what it should (so an empty list means something): a button without a name', async () => {
    const page = await open('ru');
    await page.evaluate(() => document.querySelector('#appeal-form')?.append(document.createElement('button')));
    expect((await violations(page)).join('\n')).toMatch(/^critical button-name/m);
    await page.context().close();
  });

  it('shows times in Astana time in Chromium, whatever its own time zone, in Kazakh, Russian and English', async () => {
    const context = await browser.newContext({ timezoneId: 'America/New_York', locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(centre.url);
    await page.locator('body[data-ready]').waitFor();
    const shown = await page.evaluate("import('/i18n.js').then((m) => ['kk', 'ru', 'en'].map((l) => m.formatDateTime('2026-05-12T21:30:00Z', l)))");
    expect(shown).toEqual(['13.05.2026, 02:30', '13.05.2026, 02:30', '13/05/2026, 02:30']);
    await context.close();
  });

  it('the skip link is the first stop of the keyboard, is visible then, and takes focus to the content', async () => {
    const page = await open('kk');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('skip-link'))).toBe(true);
    const box = await page.locator('.skip-link').boundingBox();
    expect(box && box.y >= 0 && box.height > 10).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.context().close();
  });

  it('shows where the keyboard focus is on links, buttons and fields', async () => {
    const page = await open('ru');
    const outlines: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      outlines.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const s = getComputedStyle(el);
          const visible = (s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
          return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}:${visible ? 'visible' : 'INVISIBLE'}`;
        }),
      );
    }
    expect(outlines.filter((o) => o.endsWith('INVISIBLE'))).toEqual([]);
    await page.context().close();
  });
});
