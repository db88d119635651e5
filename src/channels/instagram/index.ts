// Instagram business account as a channel: @mentions in comments and captions (webhook field `mentions`, with
// catch-up polling of GET /{ig-user-id}/tags), answered in the same thread through POST /{ig-user-id}/mentions.
// A notification whose comment cannot be read yet (rate limit, outage) is kept in channel_cursors and read later.
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { receive } from '../../inbox/intake.js';
import { type OutboxRow, recordInConversation } from '../../outbox/relay.js';
import { type Connector, type ConnectorFactory, readCursor, replyContext, writeCursor } from '../connector.js';
import { alreadyDelivered, commentText, str } from '../meta/delivery.js';
import { GraphClient, GraphError } from '../meta/graph.js';
import { type MetaChange, type MetaEntry, metaWebhookRoutes } from '../meta/webhook.js';
import { CHANNEL, externalIdOf, fetchMention, MentionValue, mediaToInbound, TagsPage, tagsRequest, timeOf } from './mentions.js';

const PENDING = 'pending:';
const TAGS_CURSOR = 'tags:newest';
const MAX_TAG_PAGES = 10;
/** A notification that still cannot be read after this many polls (deleted comment…) is dropped with a log line. */
const MAX_PENDING_TRIES = 20;

export const instagramConnector: ConnectorFactory = (ctx) => {
  const s = ctx.settings;
  if (!s.META_APP_SECRET || !s.META_ACCESS_TOKEN || !s.INSTAGRAM_ACCOUNT_ID) return null;
  const graph = new GraphClient({ baseUrl: s.META_GRAPH_URL, accessToken: s.META_ACCESS_TOKEN, appSecret: s.META_APP_SECRET, log: ctx.log });
  return new InstagramConnector(ctx, graph, s.INSTAGRAM_ACCOUNT_ID, s.META_APP_SECRET);
};

export class InstagramConnector implements Connector {
  readonly channel = CHANNEL;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: Context,
    private readonly graph: GraphClient,
    private readonly igUserId: string,
    private readonly appSecret: string,
  ) {}

  async routes(app: FastifyInstance) {
    await metaWebhookRoutes(app, {
      channel: CHANNEL,
      object: 'instagram',
      appSecret: this.appSecret,
      verifyToken: this.ctx.settings.META_VERIFY_TOKEN,
      log: this.ctx.log,
      handle: (entry, change) => this.onChange(entry, change),
    });
  }

  private async onChange(entry: MetaEntry, change: MetaChange) {
    const { log } = this.ctx;
    if (change.field !== 'mentions') return log.info({ channel: CHANNEL, field: change.field }, 'instagram webhook field ignored');
    if (entry.id !== this.igUserId) return log.warn({ channel: CHANNEL, account: entry.id }, 'instagram mention for another account ignored');
    const v = MentionValue.safeParse(change.value);
    if (!v.success) return log.warn({ channel: CHANNEL }, 'malformed instagram mention ignored');
    if (await this.known(externalIdOf(v.data))) return; // redelivered: stored already, no need to read it again
    try {
      await this.ingest(v.data);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err; // the database failed: answer 500, Meta delivers again
      // Meta will not send it again: keep the ids, the poller reads the comment when the Graph API lets us.
      await writeCursor(this.ctx.db, CHANNEL, PENDING + externalIdOf(v.data), JSON.stringify({ value: v.data, tries: 0 }));
      log.warn({ channel: CHANNEL, err: err.message }, 'instagram mention kept to be read later');
    }
  }

  /** Reads one mention and stores it (once). */
  private async ingest(v: MentionValue) {
    const msg = await fetchMention(this.graph, this.igUserId, v, this.igUserId);
    if (!msg) return this.ctx.log.info({ channel: CHANNEL, id: externalIdOf(v) }, 'instagram mention without readable text ignored');
    await receive(this.ctx, msg);
  }

  private async known(externalId: string) {
    const m = await this.ctx.db
      .selectFrom('messages')
      .select('id')
      .where('channel', '=', CHANNEL)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return m !== undefined;
  }

  async start() {
    const every = this.ctx.settings.META_POLL_SECONDS * 1000;
    const tick = async () => {
      this.running = this.pollOnce().catch((err) => this.ctx.log.warn({ channel: CHANNEL, err: (err as Error).message }, 'instagram polling failed'));
      await this.running;
      if (this.timer) this.timer = setTimeout(tick, every);
    };
    this.timer = setTimeout(tick, 0); // at once: catch up on what arrived while the centre was down
  }

  async stop() {
    const t = this.timer;
    this.timer = null;
    if (t) clearTimeout(t);
    await this.running;
  }

  /** One round: notifications kept for later, then tagged media newer than the stored cursor. */
  async pollOnce() {
    await this.retryPending();
    await this.pollTags();
  }

  private async retryPending() {
    const rows = await this.ctx.db
      .selectFrom('channel_cursors')
      .select(['key', 'value'])
      .where('channel', '=', CHANNEL)
      .where('key', 'like', `${PENDING}%`)
      .orderBy('updated_at')
      .execute();
    for (const row of rows) {
      const kept = JSON.parse(row.value) as { value: MentionValue; tries: number };
      try {
        await this.ingest(kept.value);
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        if (err.rateLimited) return; // try again next round
        if (kept.tries + 1 < MAX_PENDING_TRIES) {
          await writeCursor(this.ctx.db, CHANNEL, row.key, JSON.stringify({ ...kept, tries: kept.tries + 1 }));
          continue;
        }
        this.ctx.log.error({ channel: CHANNEL, id: row.key, err: err.message }, 'instagram mention could not be read; dropped');
      }
      await this.ctx.db.deleteFrom('channel_cursors').where('channel', '=', CHANNEL).where('key', '=', row.key).execute();
    }
  }

  /** Newest first, page by page, back to the newest media seen last time (first run: the first page only). */
  private async pollTags() {
    const stored = await readCursor(this.ctx.db, CHANNEL, TAGS_CURSOR);
    const since = stored ? Number(stored) : null;
    let newest = since ?? 0;
    let after: string | undefined;
    for (let page = 1; ; page++) {
      const parsed = TagsPage.safeParse(await this.graph.get(`${this.igUserId}/tags`, tagsRequest(after)));
      if (!parsed.success) {
        this.ctx.log.warn({ channel: CHANNEL }, 'unreadable page of instagram tags ignored');
        break;
      }
      let reachedCursor = false;
      for (const media of parsed.data.data) {
        const t = timeOf(media.timestamp) ?? 0;
        if (since !== null && t < since) {
          reachedCursor = true;
          break;
        }
        const msg = mediaToInbound(media, 'tags', this.igUserId);
        if (msg) await receive(this.ctx, msg);
        newest = Math.max(newest, t);
      }
      after = parsed.data.paging?.cursors?.after;
      if (reachedCursor || since === null || !parsed.data.paging?.next || !after) break;
      if (page >= MAX_TAG_PAGES) {
        this.ctx.log.warn({ channel: CHANNEL, pages: page }, 'instagram tags: stopped before reaching the last position');
        break;
      }
    }
    if (newest > 0 && String(newest) !== stored) await writeCursor(this.ctx.db, CHANNEL, TAGS_CURSOR, String(newest));
  }

  /** A reply under the comment or on the media where the account was mentioned; once per outbox row. */
  async deliver(row: OutboxRow) {
    if (await alreadyDelivered(this.ctx.db, row)) return;
    const { source } = await replyContext(this.ctx.db, row);
    const mediaId = str(source?.raw, 'media_id');
    if (!source || !mediaId) throw new Error(`instagram: outbox row ${row.id} has no mention to answer`);
    const commentId = str(source.raw, 'comment_id');
    const sent = await this.graph.post<{ id?: string }>(`${this.igUserId}/mentions`, {
      media_id: mediaId,
      comment_id: commentId,
      message: commentText(row.payload.text),
    });
    await recordInConversation(this.ctx.db, row, { platform_id: sent.id ?? null, media_id: mediaId, comment_id: commentId ?? null });
  }
}
