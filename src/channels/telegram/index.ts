// The Telegram bot connector: updates arrive by webhook (POST /channels/telegram/webhook, checked against the
// secret token given to setWebhook) or, with TELEGRAM_POLLING=true, by getUpdates long polling from a stored
// offset — never both. Replies from the outbox go to the chat of the message that opened the ticket; staff
// notifications (target { staff_user_id }) go to the chat that staff member linked (staff.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import type { OutboxRow } from '../../outbox/relay.js';
import { type Connector, type ConnectorFactory, readCursor, writeCursor } from '../connector.js';
import { TelegramApi, TelegramError } from './api.js';
import { TelegramBot } from './bot.js';
import { deliverToChat } from './deliver.js';
import { SendLimiter } from './limiter.js';
import { CHANNEL } from './repository.js';
import { deliverToStaff, isStaffTarget } from './staff.js';
import { ALLOWED_UPDATES, Update } from './updates.js';

/** Seconds Telegram holds a getUpdates request open when there is nothing new. */
const POLL_TIMEOUT_S = 25;
/** An update that keeps failing is skipped after this many tries, so one bad update cannot stop the bot. */
const MAX_UPDATE_TRIES = 5;

export const telegramConnector: ConnectorFactory = (ctx) => {
  const token = ctx.settings.TELEGRAM_BOT_TOKEN;
  if (!token) return null;
  return new TelegramConnector(ctx, new TelegramApi(ctx.settings.TELEGRAM_API_URL.replace(/\/+$/, ''), token));
};

class TelegramConnector implements Connector {
  readonly channel = CHANNEL;
  private readonly limiter = new SendLimiter();
  private readonly bot: TelegramBot;
  private readonly polling: boolean;
  private loop: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private readonly tries = new Map<number, number>();

  constructor(
    private readonly ctx: Context,
    private readonly api: TelegramApi,
  ) {
    this.bot = new TelegramBot(ctx, api, this.limiter);
    this.polling = ctx.settings.TELEGRAM_POLLING;
  }

  async routes(app: FastifyInstance) {
    const { log } = this.ctx;
    const secret = this.ctx.settings.TELEGRAM_WEBHOOK_SECRET;
    if (!secret && !this.polling) log.warn('TELEGRAM_WEBHOOK_SECRET is not set: anyone who knows the webhook URL can post updates');
    app.post('/webhook', { config: { rateLimit: { max: 3000, timeWindow: '1 minute' } } }, async (req, reply) => {
      if (this.polling) return reply.code(409).send({ error: 'this bot receives updates by polling (TELEGRAM_POLLING=true)' });
      if (secret && !sameSecret(req.headers['x-telegram-bot-api-secret-token'], secret)) {
        log.warn({ ip: req.ip }, 'telegram webhook refused: missing or wrong secret token');
        return reply.code(401).send({ error: 'unauthorized' });
      }
      const parsed = Update.safeParse(req.body);
      if (!parsed.success) {
        log.warn({ issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'telegram webhook: not an update');
        return reply.code(400).send({ error: 'not a Telegram update' });
      }
      // Stored before we answer 200: an error here makes Telegram deliver the update again.
      await this.bot.handle(parsed.data);
      return reply.code(200).send({ ok: true });
    });
  }

  async start() {
    if (!this.polling || this.loop) return;
    this.abort = new AbortController();
    this.loop = this.poll(this.abort.signal);
  }

  async stop() {
    this.abort?.abort();
    await this.loop;
    this.loop = null;
  }

  deliver(row: OutboxRow) {
    if (isStaffTarget(row.target)) return deliverToStaff(this.ctx, this.api, this.limiter, row);
    return deliverToChat(this.ctx, this.api, this.limiter, row);
  }

  private async poll(signal: AbortSignal) {
    const { log, db } = this.ctx;
    let pause = 1;
    let webhookRemoved = false;
    while (!signal.aborted) {
      try {
        // getUpdates refuses to work while a webhook is set (409): polling mode removes it, keeping pending updates.
        if (!webhookRemoved) webhookRemoved = await this.api.call<boolean>('deleteWebhook', { drop_pending_updates: false }, signal);
        const offset = Number((await readCursor(db, CHANNEL, 'offset')) ?? 0);
        const updates = await this.api.call<unknown[]>(
          'getUpdates',
          { ...(offset ? { offset } : {}), timeout: POLL_TIMEOUT_S, allowed_updates: ALLOWED_UPDATES },
          AbortSignal.any([signal, AbortSignal.timeout((POLL_TIMEOUT_S + 15) * 1000)]),
        );
        for (const raw of updates) {
          if (signal.aborted) break;
          const id = await this.handlePolled(raw);
          if (id === null) break; // failed: ask again from the same offset
          await writeCursor(db, CHANNEL, 'offset', String(id + 1));
        }
        pause = 1;
      } catch (err) {
        if (signal.aborted) break;
        const conflict = err instanceof TelegramError && err.code === 409;
        log.warn({ err: (err as Error).message, conflict }, 'telegram polling failed; trying again');
        if (err instanceof TelegramError && err.retryAfter) pause = Math.max(pause, err.retryAfter);
        await sleep(pause * 1000, signal);
        pause = Math.min(30, pause * 2);
      }
    }
  }

  /** Handles one polled update; returns its id when done with it (handled, ignored or given up), null to retry. */
  private async handlePolled(raw: unknown): Promise<number | null> {
    const parsed = Update.safeParse(raw);
    const id = typeof (raw as { update_id?: unknown })?.update_id === 'number' ? (raw as { update_id: number }).update_id : null;
    if (!parsed.success) {
      this.ctx.log.warn({ update: id }, 'telegram polling: not an update, skipped');
      return id;
    }
    try {
      await this.bot.handle(parsed.data);
      this.tries.delete(parsed.data.update_id);
      return parsed.data.update_id;
    } catch (err) {
      const n = (this.tries.get(parsed.data.update_id) ?? 0) + 1;
      this.tries.set(parsed.data.update_id, n);
      if (n < MAX_UPDATE_TRIES) {
        this.ctx.log.warn({ err, update: parsed.data.update_id, tries: n }, 'telegram update failed; will try again');
        await sleep(1000);
        return null;
      }
      this.ctx.log.error({ err, update: parsed.data.update_id }, 'telegram update skipped after repeated failures');
      this.tries.delete(parsed.data.update_id);
      return parsed.data.update_id;
    }
  }
}

/** Constant-time comparison of the header with the configured secret. */
function sameSecret(header: unknown, secret: string): boolean {
  if (typeof header !== 'string' || !header) return false;
  const a = createHash('sha256').update(header).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

function sleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
