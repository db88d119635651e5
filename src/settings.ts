// Process settings from the environment, validated once at start. Every external address is a setting.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  QALA_DATA_DIR: z.string().default('./.qala-data'),
  QALA_CITY_DIR: z.string().default('config/cities/astana'),
  /** Where staff open the web app: links in notifications (e.g. to a ticket page) start with it. */
  QALA_PUBLIC_URL: z.string().url().default('http://127.0.0.1:8080'),
  /** api = HTTP only; worker = queue handlers and outbox relay only; all = both in one process (embedded). */
  QALA_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  OPEN311_API_KEYS: csv,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests per minute per client address on public endpoints. */
  PUBLIC_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  /** Fault injection for recovery tests, e.g. `after-intake=exit`. Never set in production. */
  QALA_FAILPOINTS: z.string().default(''),
  /** A file of KEY=VALUE lines (credentials); the environment wins over it. Keep it out of the repository. */
  QALA_SECRETS_FILE: z.string().optional(),
  QALA_DEMO_FEED: z.enum(['on', 'off']).default('on'), // with --demo: replay the city's demo-feed.yaml through local stand-ins of the platforms
  /** A map tile URL template (`https://…/{z}/{x}/{y}.png`) drawn under the district map; none by default, so no page
   * ever asks anything outside the centre unless this is set. */
  QALA_MAP_TILE_URL: z.string().url().optional(),

  // Channels (docs/channels.md). A connector without its credentials is off. Every base URL is a setting.
  // --- Telegram bot ---
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().min(1).optional(),
  TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
  /** Long polling with getUpdates instead of the webhook. */
  TELEGRAM_POLLING: z.stringbool().default(false),
  // --- Meta: Instagram business account and Facebook Page ---
  META_APP_SECRET: z.string().min(1).optional(),
  META_VERIFY_TOKEN: z.string().min(1).optional(),
  META_ACCESS_TOKEN: z.string().min(1).optional(),
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  INSTAGRAM_ACCOUNT_ID: z.string().min(1).optional(),
  FACEBOOK_PAGE_ID: z.string().min(1).optional(),
  /** Catch-up polling of Instagram tags (mentions missed while the webhook was down). */
  /** How often deadlines are checked for escalations, return timers and the resident's confirmation window. */
  QALA_SWEEP_SECONDS: z.coerce.number().positive().default(30),
  META_POLL_SECONDS: z.coerce.number().positive().default(300),
  // --- X ---
  X_BEARER_TOKEN: z.string().min(1).optional(),
  /** OAuth 2.0 user-context token of the city's account, for posting replies. */
  X_USER_TOKEN: z.string().min(1).optional(),
  X_API_URL: z.string().url().default('https://api.x.com'),
  X_POLL_SECONDS: z.coerce.number().positive().default(60),
  /** The watched X accounts (user ids, comma-separated) whose mentions are polled. */
  X_WATCH_USER_IDS: csv,
  /** Filtered-stream rules for keywords and hashtags, `;`-separated X rule values; the stream is off when empty. */
  X_STREAM_RULES: z
    .string()
    .default('')
    .transform((s) => [...new Set(s.split(';').map((r) => r.trim()))].filter(Boolean)),
  /** Minutes of stream backfill asked for on reconnect (1–5; only some X tiers allow it); 0 = off. */
  X_STREAM_BACKFILL_MINUTES: z.coerce.number().int().min(0).max(5).default(0),
  // --- VK ---
  VK_ACCESS_TOKEN: z.string().min(1).optional(),
  VK_GROUP_ID: z.string().min(1).optional(),
  VK_CONFIRMATION: z.string().min(1).optional(),
  VK_SECRET: z.string().min(1).optional(),
  VK_API_URL: z.string().url().default('https://api.vk.com/method'),
  VK_API_VERSION: z.string().default('5.199'),
  // --- E-mail ---
  /** imaps://user:password@host:993/INBOX */
  IMAP_URL: z.string().url().optional(),
  /** smtps://user:password@host:465 or smtp://host:587 */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).optional(),
  MAIL_POLL_SECONDS: z.coerce.number().positive().default(30),
  /** Staff work notifications (new ticket, at risk, overdue, reopened, daily summary) by e-mail as well, to each
   * user's account address, through SMTP_URL and MAIL_FROM. Off by default: the mailbox is the residents' channel. */
  STAFF_MAIL: z.stringbool().default(false),
});
export type Settings = z.infer<typeof Settings>;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = Settings.safeParse(env.QALA_SECRETS_FILE ? { ...readSecrets(env.QALA_SECRETS_FILE), ...env } : env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** KEY=VALUE lines; blank lines and # comments skipped; a value may be quoted. */
export function readSecrets(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Invalid settings:\n  QALA_SECRETS_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`Invalid settings:\n  QALA_SECRETS_FILE: line ${i + 1} is not KEY=VALUE`);
    out[m[1] as string] = (m[2] as string).replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}
