// The channel settings page: which connectors are on and which of their settings are set. Secrets live in the
// environment or the secrets file, never in the database, so this is read-only and never shows a value, only
// whether it is there (a URL is reduced to its scheme and host without credentials).
import type { Connector } from '../channels/connector.js';
import type { Settings } from '../settings.js';

interface ChannelSettings {
  channel: string;
  /** Settings that must be set for the connector to be on (any one of the groups). */
  settings: { name: keyof Settings; secret: boolean }[];
}

const s = (name: keyof Settings, secret = true) => ({ name, secret });

const CHANNELS: ChannelSettings[] = [
  { channel: 'web', settings: [] },
  { channel: 'phone', settings: [] },
  { channel: 'open311', settings: [s('OPEN311_API_KEYS')] },
  { channel: 'email', settings: [s('IMAP_URL'), s('SMTP_URL'), s('MAIL_FROM', false), s('MAIL_POLL_SECONDS', false), s('STAFF_MAIL', false)] },
  {
    channel: 'telegram',
    settings: [s('TELEGRAM_BOT_TOKEN'), s('TELEGRAM_WEBHOOK_SECRET'), s('TELEGRAM_POLLING', false), s('TELEGRAM_API_URL', false)],
  },
  { channel: 'x', settings: [s('X_BEARER_TOKEN'), s('X_USER_TOKEN'), s('X_WATCH_USER_IDS', false), s('X_POLL_SECONDS', false)] },
  { channel: 'vk', settings: [s('VK_ACCESS_TOKEN'), s('VK_GROUP_ID', false), s('VK_CONFIRMATION'), s('VK_SECRET')] },
  {
    channel: 'instagram',
    settings: [s('META_APP_SECRET'), s('META_VERIFY_TOKEN'), s('META_ACCESS_TOKEN'), s('INSTAGRAM_ACCOUNT_ID', false), s('META_POLL_SECONDS', false)],
  },
  {
    channel: 'facebook',
    settings: [s('META_APP_SECRET'), s('META_VERIFY_TOKEN'), s('META_ACCESS_TOKEN'), s('FACEBOOK_PAGE_ID', false), s('META_POLL_SECONDS', false)],
  },
];

const isSet = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** A setting that is not secret is shown; a URL without its user and password; a secret only as "set". */
function shown(v: unknown, secret: boolean): string | null {
  if (secret || !isSet(v)) return null;
  if (typeof v === 'string' && /^[a-z]+:\/\//i.test(v)) {
    try {
      const u = new URL(v);
      return `${u.protocol}//${u.host}`;
    } catch {
      return null;
    }
  }
  return Array.isArray(v) ? `${v.length}` : String(v);
}

export function channelStates(settings: Settings, connectors: readonly Connector[]) {
  const on = new Set(connectors.map((c) => c.channel));
  return CHANNELS.map((c) => ({
    channel: c.channel,
    // The centre's own channels are always on; Open311 is on when it has at least one key.
    on: c.channel === 'web' || c.channel === 'phone' ? true : c.channel === 'open311' ? isSet(settings.OPEN311_API_KEYS) : on.has(c.channel),
    settings: c.settings.map((x) => ({ name: x.name, secret: x.secret, set: isSet(settings[x.name]), value: shown(settings[x.name], x.secret) })),
  }));
}
