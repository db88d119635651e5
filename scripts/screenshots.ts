// Screenshots of every screen, in Russian and Kazakh, at desktop and phone sizes, for the README and for looking at:
//   npx tsx scripts/screenshots.ts --out docs/screenshots [--feed-seconds 20]
// Starts a demo centre on a temporary data directory (in-memory database), lets the demo feed run a little, files one
// appeal as a resident, then logs in as each role and photographs what that role sees. Screens that do not exist
// yet (their route falls back to the appeal form) are left out with a note.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startCentre } from '../src/main.js';
import { readSettings } from '../src/settings.js';
import { CHROMIUM_ARGS } from '../test/browser/helpers.js';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'docs/screenshots' }, 'feed-seconds': { type: 'string', default: '20' } },
});
const OUT = resolve(values.out as string);
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'demo-password-1';
const SIZES = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;
const LANGS = ['ru', 'kk'] as const;

interface Shot {
  name: string;
  /** Who is logged in; none for the resident's screens. */
  as?: string;
  route: (number: string) => string;
  ready: string;
}

const SHOTS: Shot[] = [
  { name: 'resident-form', route: () => '#/appeal', ready: '#appeal-form' },
  { name: 'track', route: (n) => `#/track/${n}`, ready: '#track-result h2' },
  { name: 'public', route: () => '#/public', ready: '#view-public:not([hidden])' },
  { name: 'operator-list', as: 'operator1@qala.demo', route: () => '#/staff', ready: '#staff-list table.tickets' },
  { name: 'operator-ticket', as: 'operator1@qala.demo', route: (n) => `#/staff/ticket/${n}`, ready: '#staff-ticket [data-number]' },
  { name: 'executor-list', as: 'executor.water@qala.demo', route: () => '#/staff', ready: '#staff-list table.tickets' },
  { name: 'supervisor-incidents', as: 'supervisor@qala.demo', route: () => '#/staff/incidents', ready: '#staff-incidents h1' },
  { name: 'supervisor-learning', as: 'supervisor@qala.demo', route: () => '#/staff/learning', ready: '#staff-learning dl, #staff-learning table' },
  { name: 'situation', as: 'supervisor@qala.demo', route: () => '#/situation', ready: '#view-situation:not([hidden])' },
  { name: 'admin', as: 'admin@qala.demo', route: () => '#/admin', ready: '#view-admin:not([hidden])' },
];

/** A tab of its own per person and size; logged in once (log-ins are rate limited), the language switched in place. */
async function page(browser: Browser, url: string, size: keyof typeof SIZES, as?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: SIZES[size], locale: 'ru-RU', deviceScaleFactor: size === 'phone' ? 2 : 1 });
  const p = await context.newPage();
  await p.goto(url);
  await p.locator('body[data-ready]').waitFor();
  if (as) {
    await p.goto(`${url}/#/staff`);
    await p.fill('#l-email', as);
    await p.fill('#l-password', PASSWORD);
    await p.click('#login-form [type=submit]');
    await p.locator('#staff-area:not([hidden])').waitFor({ timeout: 15_000 });
  }
  return p;
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  await mkdir(OUT, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'qala-shots-'));
  const settings = readSettings({ ...process.env, PORT: '0', LOG_LEVEL: 'warn', QALA_DATA_DIR: dataDir, QALA_DEMO_FEED: 'on' });
  const centre = await startCentre({ ...settings, DATABASE_URL: undefined }, { demo: true });
  const url = centre.url as string;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const written: string[] = [];
  const missing = new Set<string>();
  try {
    process.stdout.write(`demo centre at ${url}; letting the demo feed run ${values['feed-seconds']} s…\n`);
    await new Promise((r) => setTimeout(r, Number(values['feed-seconds']) * 1000));
    const res = await fetch(`${url}/api/v1/appeals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'screenshots-appeal-1' },
      body: JSON.stringify({ text: 'Сәкен Сейфуллин көшесі, 31 үйде екі күннен бері ыстық су жоқ.', address: 'Сәкен Сейфуллин көшесі, 31' }),
    });
    const number = ((await res.json()) as { number: string }).number;
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      for (const as of [...new Set(SHOTS.map((x) => x.as))]) {
        const p = await page(browser, url, size, as).catch((e: Error) => {
          missing.add(`screens of ${as} (log-in: ${e.message.split('\n')[0]})`);
          return null;
        });
        if (!p) continue;
        for (const lang of LANGS) {
          await p.click(`[data-lang="${lang}"]`);
          for (const shot of SHOTS.filter((x) => x.as === as)) {
            await p.goto(`${url}/${shot.route(number)}`);
            const ok = await p
              .locator(shot.ready)
              .first()
              .waitFor({ timeout: 15_000 })
              .then(
                () => true,
                () => false,
              );
            if (!ok) {
              missing.add(shot.name);
              continue;
            }
            await p.waitForTimeout(800); // figures and maps that load after the heading
            await p.evaluate(() => window.scrollTo(0, 0)); // a route change focuses (and scrolls to) the content
            const file = join(OUT, `${shot.name}-${lang}-${size}.png`);
            await p.screenshot({ path: file, fullPage: size === 'desktop' });
            written.push(file);
          }
        }
        await p.context().close();
      }
    }
  } finally {
    await browser.close();
    await centre.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  for (const f of written) process.stdout.write(`${f}\n`);
  if (missing.size) process.stdout.write(`not drawn (missing or not there yet): ${[...missing].join(', ')}\n`);
}

await main();
