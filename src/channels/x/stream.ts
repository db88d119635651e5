// The filtered stream (X_STREAM_RULES): keyword and hashtag rules kept in sync on X (Qala's own rules carry a
// "qala:" tag; rules of others are left alone), one long-lived connection read line by line, each tweet stored
// through receive() with the tweet id as external id, so a tweet also heard in the mentions is one message.
// Reconnects as X documents: at once after a drop, then linearly for network errors, exponentially for HTTP
// errors, and after a 429 not before x-rate-limit-reset. See docs/channels/x.md.
import { createHash } from 'node:crypto';
import type { Context } from '../../context.js';
import { receive } from '../../inbox/intake.js';
import { XApiError, type XClient, XRateLimited, type XTweet, type XUser } from './api.js';
import { CHANNEL, tweetToInbound } from './mentions.js';

export const RULE_TAG_PREFIX = 'qala:';
/** X sends a keep-alive every 20 s; silence for longer (with room for jitter) means the connection is dead. */
const STALL_MS = 30_000;

/** A stable tag per rule value: Qala finds its own rules by the prefix, an operator can tell them apart. */
export const ruleTag = (value: string) => RULE_TAG_PREFIX + createHash('sha256').update(value).digest('hex').slice(0, 12);

/** Brings the stream's rules to `wanted`: adds the missing ones and deletes Qala's rules no longer wanted. */
export async function syncRules(ctx: Context, client: XClient, token: string, wanted: readonly string[]) {
  const existing = await client.streamRules(token);
  const stale = existing.filter((r) => r.tag?.startsWith(RULE_TAG_PREFIX) && !wanted.includes(r.value));
  const present = new Set(existing.map((r) => r.value));
  const missing = wanted.filter((v) => !present.has(v));
  for (const r of existing)
    if (!r.tag?.startsWith(RULE_TAG_PREFIX) && wanted.includes(r.value))
      ctx.log.info({ channel: CHANNEL, rule: r.value, tag: r.tag ?? null }, 'X stream rule already present under another tag: left as it is');
  let deleted = 0;
  let added = 0;
  if (stale.length > 0) {
    const answer = await client.changeStreamRules(token, { delete: { ids: stale.map((r) => r.id) } });
    deleted = answer.meta?.summary?.deleted ?? stale.length;
    if (answer.errors?.length) ctx.log.warn({ channel: CHANNEL, errors: answer.errors }, 'X refused to delete some stream rules');
  }
  if (missing.length > 0) {
    try {
      const answer = await client.changeStreamRules(token, { add: missing.map((value) => ({ value, tag: ruleTag(value) })) });
      added = answer.data?.length ?? 0;
      if (answer.errors?.length) ctx.log.error({ channel: CHANNEL, errors: answer.errors }, 'X refused some stream rules: fix X_STREAM_RULES');
    } catch (err) {
      // A rule X cannot parse (or over the tier's limits) will not parse on a retry either: stream with the rest.
      if (!(err instanceof XApiError && err.status === 400)) throw err;
      ctx.log.error({ channel: CHANNEL, answer: err.body.slice(0, 2000) }, 'X refused the stream rules: fix X_STREAM_RULES');
    }
  }
  return { added, deleted, rules: existing.length - deleted + added };
}

/** How a connection attempt ended: decides how long to wait before the next one. */
export type StreamOutcome =
  | { kind: 'dropped'; healthy: boolean }
  | { kind: 'network' }
  | { kind: 'http'; status: number }
  | { kind: 'rate'; until: number | null }
  | { kind: 'stopped' };

/** X's reconnect policy: linear 250 ms steps up to 16 s, exponential from 5 s up to 320 s, 429 from 1 min doubling. */
export class ReconnectBackoff {
  private network = 0;
  private http = 0;
  private rate = 0;

  next(o: StreamOutcome, now = Date.now()): number {
    switch (o.kind) {
      case 'stopped':
        return 0;
      case 'dropped':
        this.http = 0;
        this.rate = 0;
        // A connection that had been working: reconnect at once; one that died before any byte is a failure.
        if (o.healthy) {
          this.network = 0;
          return 0;
        }
        return this.linear();
      case 'network':
        return this.linear();
      case 'http':
        this.http++;
        return Math.min(5_000 * 2 ** (this.http - 1), 320_000);
      case 'rate':
        this.rate++;
        if (o.until !== null && o.until > now) return o.until - now;
        return Math.min(60_000 * 2 ** (this.rate - 1), 30 * 60_000);
    }
  }

  private linear() {
    this.network++;
    return Math.min(250 * this.network, 16_000);
  }
}

interface StreamMessage {
  data?: XTweet;
  includes?: { users?: XUser[] };
  matching_rules?: { id: string; tag?: string }[];
  errors?: unknown[];
}

export class XStream {
  private stopper = new AbortController();
  private loop: Promise<void> | null = null;
  private backfillMinutes: number;

  constructor(
    private readonly ctx: Context,
    private readonly client: XClient,
    private readonly token: string,
    private readonly opts: { rules: readonly string[]; backfillMinutes: number; stallMs?: number },
  ) {
    this.backfillMinutes = opts.backfillMinutes;
  }

  start() {
    this.stopper = new AbortController();
    this.loop = this.run().catch((err) => this.ctx.log.error({ err, channel: CHANNEL }, 'X stream loop failed'));
  }

  /** Closes the connection (or cuts a wait short) and returns once the loop has ended. */
  async stop() {
    this.stopper.abort();
    await this.loop;
    this.loop = null;
  }

  private get stopped() {
    return this.stopper.signal.aborted;
  }

  private async run() {
    const backoff = new ReconnectBackoff();
    let synced = false;
    while (!this.stopped) {
      let outcome: StreamOutcome;
      try {
        if (!synced) {
          const r = await syncRules(this.ctx, this.client, this.token, this.opts.rules);
          synced = true;
          this.ctx.log.info({ channel: CHANNEL, ...r }, 'X stream rules in sync');
        }
        outcome = await this.connect();
      } catch (err) {
        if (this.stopped) break;
        outcome =
          err instanceof XRateLimited
            ? { kind: 'rate', until: err.until }
            : err instanceof XApiError
              ? { kind: 'http', status: err.status }
              : { kind: 'network' };
        if (!(err instanceof XRateLimited)) this.ctx.log.warn({ channel: CHANNEL, err: String(err) }, 'X stream: request failed');
      }
      if (this.stopped) break;
      const wait = backoff.next(outcome);
      if (wait > 0) this.ctx.log.info({ channel: CHANNEL, outcome: outcome.kind, waitMs: wait }, 'X stream: reconnecting later');
      await sleep(wait, this.stopper.signal);
    }
  }

  /** One connection, read until it ends; answers how it ended. */
  private async connect(): Promise<StreamOutcome> {
    if (this.stopped) return { kind: 'stopped' };
    // One controller per connection, aborted by stop() or by the stall timer. (Not AbortSignal.any: fetch holds its
    // signal weakly, and a combined signal nobody else references can be collected, so an abort would never arrive.)
    const conn = new AbortController();
    const onStop = () => conn.abort();
    this.stopper.signal.addEventListener('abort', onStop, { once: true });
    let stall: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(stall);
      stall = setTimeout(() => conn.abort(new Error('no data or keep-alive in time')), this.opts.stallMs ?? STALL_MS);
    };
    arm(); // the answer's headers must come in time too
    try {
      return await this.readAnswer(conn, arm);
    } finally {
      clearTimeout(stall);
      this.stopper.signal.removeEventListener('abort', onStop);
      conn.abort();
    }
  }

  private async readAnswer(conn: AbortController, arm: () => void): Promise<StreamOutcome> {
    const res = await this.client.openStream(this.token, { backfillMinutes: this.backfillMinutes }, conn.signal);
    if (res.status === 429) {
      const reset = Number(res.headers.get('x-rate-limit-reset'));
      await res.body?.cancel();
      const until = Number.isFinite(reset) && reset > 0 ? reset * 1000 : null;
      this.ctx.log.warn({ channel: CHANNEL, until: until && new Date(until).toISOString() }, 'X stream: 429 on connect');
      return { kind: 'rate', until };
    }
    if (res.status !== 200) {
      const body = await res.text().catch(() => '');
      if (res.status === 400 && this.backfillMinutes > 0 && /backfill/i.test(body)) {
        this.ctx.log.warn({ channel: CHANNEL }, 'X refuses backfill_minutes on this access level: streaming without backfill');
        this.backfillMinutes = 0;
        return { kind: 'dropped', healthy: true };
      }
      this.ctx.log.error({ channel: CHANNEL, status: res.status, body: body.slice(0, 500) }, 'X stream: connection refused');
      return { kind: 'http', status: res.status };
    }
    this.ctx.log.info({ channel: CHANNEL, backfillMinutes: this.backfillMinutes }, 'X stream connected');
    let healthy = false;
    let reason = 'closed by X';
    arm();
    try {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        healthy = true;
        arm();
        buffer += decoder.decode(value, { stream: true });
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) await this.onLine(line); // a blank line is X's keep-alive
        }
      }
    } catch (err) {
      if (this.stopped) return { kind: 'stopped' };
      reason = conn.signal.aborted ? 'stalled: no keep-alive for too long' : String(err);
    }
    this.ctx.log.warn({ channel: CHANNEL, reason }, 'X stream disconnected');
    return { kind: 'dropped', healthy };
  }

  private async onLine(line: string) {
    let msg: StreamMessage;
    try {
      msg = JSON.parse(line) as StreamMessage;
    } catch {
      this.ctx.log.warn({ channel: CHANNEL, line: line.slice(0, 200) }, 'X stream: a line that is not JSON, ignored');
      return;
    }
    const t = msg.data;
    if (!t) {
      // e.g. an operational-disconnect notice; X closes the connection after it.
      this.ctx.log.warn({ channel: CHANNEL, errors: msg.errors ?? msg }, 'X stream: message without a tweet');
      return;
    }
    if (typeof t.id !== 'string' || !/^\d{1,19}$/.test(t.id) || typeof t.text !== 'string') {
      this.ctx.log.warn({ channel: CHANNEL }, 'X stream: malformed tweet, ignored');
      return;
    }
    if (t.author_id && this.ctx.settings.X_WATCH_USER_IDS.includes(t.author_id)) return; // the city's own accounts
    const author = (msg.includes?.users ?? []).find((u) => u.id === t.author_id);
    const r = await receive(this.ctx, tweetToInbound(t, author, { matchingRules: msg.matching_rules ?? [] }));
    if (!r.duplicate) this.ctx.log.debug({ channel: CHANNEL, tweet: t.id }, 'X stream tweet stored');
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
