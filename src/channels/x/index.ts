// The X connector (channel "x"): polls the mentions of the watched accounts (X_WATCH_USER_IDS) and, when
// X_STREAM_RULES are set, listens to the filtered stream for keywords and hashtags, both with the app's bearer
// token; answers in the resident's thread with the city account's user token. See docs/channels/x.md.
import type { Context } from '../../context.js';
import type { OutboxRow } from '../../outbox/relay.js';
import type { Connector, ConnectorFactory } from '../connector.js';
import { XClient, XRateLimited } from './api.js';
import { CHANNEL, pollMentions } from './mentions.js';
import { deliverReply } from './reply.js';
import { XStream } from './stream.js';

export const xConnector: ConnectorFactory = (ctx) => {
  const s = ctx.settings;
  if (!s.X_BEARER_TOKEN || (s.X_WATCH_USER_IDS.length === 0 && s.X_STREAM_RULES.length === 0)) return null;
  if (!s.X_USER_TOKEN) ctx.log.warn({ channel: CHANNEL }, 'X_USER_TOKEN is not set: mentions are heard, but replies cannot be posted');
  return new XConnector(ctx, s.X_BEARER_TOKEN, new XClient(s.X_API_URL, ctx.log));
};

class XConnector implements Connector {
  readonly channel = CHANNEL;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private stream: XStream | null = null;

  constructor(
    private readonly ctx: Context,
    private readonly bearer: string,
    private readonly client: XClient,
  ) {}

  async start() {
    this.stopping = false;
    const s = this.ctx.settings;
    if (s.X_WATCH_USER_IDS.length > 0) this.schedule(0);
    if (s.X_STREAM_RULES.length > 0) {
      this.stream = new XStream(this.ctx, this.client, this.bearer, { rules: s.X_STREAM_RULES, backfillMinutes: s.X_STREAM_BACKFILL_MINUTES });
      this.stream.start();
    }
  }

  async stop() {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([this.running, this.stream?.stop()]);
    this.stream = null;
  }

  deliver(row: OutboxRow) {
    return deliverReply(this.ctx, this.client, row);
  }

  private schedule(ms: number) {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.pollAll().finally(() => {
        this.running = null;
      });
    }, ms);
  }

  /** One round over the watched accounts; the next round waits for the poll interval, or for the rate-limit reset. */
  private async pollAll() {
    for (const userId of this.ctx.settings.X_WATCH_USER_IDS) {
      if (this.stopping || this.client.blocked('mentions') !== null) break;
      try {
        const stored = await pollMentions(this.ctx, this.client, this.bearer, userId, () => this.stopping);
        if (stored) this.ctx.log.info({ channel: CHANNEL, userId, stored }, 'X mentions stored');
      } catch (err) {
        // A rate limit was logged once by the client; anything else is logged here and tried next round.
        if (!(err instanceof XRateLimited)) this.ctx.log.error({ err, channel: CHANNEL, userId }, 'X mentions poll failed');
      }
    }
    const interval = this.ctx.settings.X_POLL_SECONDS * 1000;
    const until = this.client.blocked('mentions');
    this.schedule(until === null ? interval : Math.max(interval, until - Date.now()));
  }
}
