// The demo feed: a realistic morning of posts and messages (config/cities/<city>/demo-feed.yaml) replayed through
// local stand-ins of Telegram, Instagram, Facebook, X, VK and e-mail, so a new user of `npm start` sees the centre
// hear, understand, merge and answer. The connectors run unchanged; only their base URLs and credentials point at
// the stand-ins (loopback only). A platform the deployment has real credentials for is left alone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Centre } from '../main.js';
import type { Settings } from '../settings.js';
import { StandIns } from './stand-ins.js';

export const PLATFORMS = ['telegram', 'instagram', 'facebook', 'x', 'vk', 'email'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** How an item may be said on each platform (the first is the default). */
const FORMS: Record<Platform, readonly string[]> = {
  telegram: ['message'],
  instagram: ['comment', 'post'],
  facebook: ['comment', 'post'],
  x: ['post'],
  vk: ['comment', 'post', 'message'],
  email: ['message'],
};
const HANDLE = /^[A-Za-z0-9_.]{2,64}$/;
/** Made-up senders only: e-mail at the domains reserved for examples (RFC 2606). */
const EXAMPLE_MAIL = /^[A-Za-z0-9._%+-]+@example\.(com|org|net)$/;
const NUMERIC = /^\d{1,19}$/;

export const FeedItem = z
  .object({
    /** Seconds from the start of the replay (at speed 1). */
    at: z.number().min(0).max(3600),
    platform: z.enum(PLATFORMS),
    as: z.enum(['comment', 'post', 'message']).optional(),
    /** A handle (Telegram, Instagram, X), a user id (Facebook, VK) or an e-mail address: always invented. */
    author: z.string().min(1).max(120),
    name: z.string().min(1).max(120).optional(),
    /** The language of the resident's Telegram app. */
    lang: z.enum(['ru', 'kk', 'en']).optional(),
    subject: z.string().min(1).max(200).optional(),
    /** What the item shows in the demo story (burst-pipe, danger, thanks, noise, spam…). */
    story: z.string().regex(/^[a-z][a-z-]{1,31}$/),
    text: z.string().trim().min(1).max(4000),
  })
  .strict()
  .superRefine((it, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (it.as && !FORMS[it.platform].includes(it.as)) issue('as', `${it.platform} items are ${FORMS[it.platform].join(' or ')}`);
    const author =
      it.platform === 'email'
        ? [EXAMPLE_MAIL, 'an e-mail address at example.com, example.org or example.net']
        : it.platform === 'facebook' || it.platform === 'vk'
          ? [NUMERIC, 'a numeric user id']
          : [HANDLE, 'a handle of letters, digits, _ and .'];
    if (!(author[0] as RegExp).test(it.author)) issue('author', `${it.platform} author must be ${author[1]}`);
    if (it.subject !== undefined && it.platform !== 'email') issue('subject', 'only e-mail has a subject');
    if (it.lang !== undefined && it.platform !== 'telegram') issue('lang', 'only Telegram tells the app language');
  });
export type FeedItem = z.infer<typeof FeedItem>;

/** The city's own accounts the stand-ins play; the watchlist names the same ids, so posts are attributed. */
export const DemoAccounts = z.object({
  telegram: z.string().regex(HANDLE),
  instagram: z.string().regex(NUMERIC),
  facebook: z.string().regex(NUMERIC),
  x: z.string().regex(NUMERIC),
  vk: z.string().regex(/^\d{1,12}$/),
  email: z.string().regex(EXAMPLE_MAIL),
});
export type DemoAccounts = z.infer<typeof DemoAccounts>;

export const DemoFeedFile = z.object({ accounts: DemoAccounts, items: z.array(FeedItem).min(1).max(1000) }).strict();
export type DemoFeedFile = z.infer<typeof DemoFeedFile>;

export const FEED_FILE = 'demo-feed.yaml';

/** The city's demo feed, items in replay order; null when the city has none. Throws on an invalid file. */
export function loadDemoFeed(cityDir: string): DemoFeedFile | null {
  const file = join(cityDir, FEED_FILE);
  if (!existsSync(file)) return null;
  const parsed = DemoFeedFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`${file} is not a valid demo feed:\n${lines.join('\n')}`);
  }
  const items = parsed.data.items.map((it, order) => ({ it, order })).sort((a, b) => a.it.at - b.it.at || a.order - b.order);
  return { ...parsed.data, items: items.map((x) => x.it) };
}

/** Platforms the deployment has real credentials for: the demo never points those at a stand-in. */
export function realPlatforms(s: Settings): Set<Platform> {
  const real = new Set<Platform>();
  if (s.TELEGRAM_BOT_TOKEN) real.add('telegram');
  if (s.META_ACCESS_TOKEN || s.META_APP_SECRET) for (const p of ['instagram', 'facebook'] as const) real.add(p);
  if (s.X_BEARER_TOKEN) real.add('x');
  if (s.VK_ACCESS_TOKEN) real.add('vk');
  if (s.IMAP_URL || s.SMTP_URL) real.add('email');
  return real;
}

export interface ReplayReport {
  injected: number;
  failed: number;
  seconds: number;
}

export interface DemoFeed {
  /** The items this replay delivers (those of platforms played by a stand-in), in order. */
  readonly items: readonly FeedItem[];
  readonly platforms: readonly Platform[];
  /** Settings overrides that point the connectors at the stand-ins. */
  readonly settings: Partial<Settings>;
  readonly standIns: StandIns;
  /** Seconds the replay takes at speed 1. */
  readonly span: number;
  /** Delivers each item at its time (`speed` 2 = twice as fast); resolves when all are delivered or halted. */
  replay(centre: Pick<Centre, 'url' | 'ctx'>, opts?: { speed?: number }): Promise<ReplayReport>;
  /** Delivers nothing more; resolves once a delivery under way is done. */
  halt(): Promise<void>;
  /** halt() and stop the stand-ins. Stop the centre in between, so its connectors do not see them vanish. */
  stop(): Promise<void>;
}

/** Starts the stand-ins for the city's feed; null when the city has no feed or every platform is real. */
export async function startDemoFeed(settings: Settings): Promise<DemoFeed | null> {
  const feed = loadDemoFeed(settings.QALA_CITY_DIR);
  if (!feed) return null;
  const real = realPlatforms(settings);
  const platforms = PLATFORMS.filter((p) => !real.has(p) && feed.items.some((it) => it.platform === p));
  if (platforms.length === 0) return null;
  const items = feed.items.filter((it) => platforms.includes(it.platform));
  const standIns = await StandIns.start(new Set(platforms), feed.accounts);
  const abort = new AbortController();
  let running: Promise<ReplayReport> | null = null;

  async function run(centre: Pick<Centre, 'url' | 'ctx'>, speed: number): Promise<ReplayReport> {
    const log = centre.ctx.log.child({ demo: 'feed' });
    standIns.onReply((platform, to, text) => log.debug({ platform, to, text }, 'demo feed: a reply reached the stand-in'));
    const started = Date.now();
    let injected = 0;
    let failed = 0;
    for (const [n, item] of items.entries()) {
      await sleep(started + (item.at * 1000) / speed - Date.now(), abort.signal);
      if (abort.signal.aborted) break;
      try {
        await standIns.inject(item, n, centre.url);
        injected++;
      } catch (err) {
        failed++;
        log.warn({ platform: item.platform, at: item.at, err: (err as Error).message }, 'demo feed: an item could not be delivered');
      }
    }
    const report = { injected, failed, seconds: Math.round((Date.now() - started) / 100) / 10 };
    log.info(report, abort.signal.aborted ? 'demo feed halted' : 'demo feed replayed');
    return report;
  }

  const halt = async () => {
    abort.abort();
    await running;
  };
  return {
    items,
    platforms,
    settings: standIns.settings,
    standIns,
    span: items.at(-1)?.at ?? 0,
    replay(centre, opts = {}) {
      if (running) throw new Error('the demo feed is already replaying');
      const speed = opts.speed ?? 1;
      if (!(speed > 0)) throw new Error(`replay speed must be positive, not ${speed}`);
      running = run(centre, speed);
      return running;
    },
    halt,
    async stop() {
      await halt();
      await standIns.stop();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
