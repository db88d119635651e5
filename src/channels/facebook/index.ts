// A Facebook Page as a channel: new posts and comments on the Page (webhook field `feed`, verb add) become
// public messages; replies go out as comments in the same thread (POST /{object-id}/comments). The Page's own
// posts and comments (including our replies, which come back through the same webhook) are never answered.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { type InboundMessage, receive } from '../../inbox/intake.js';
import { type OutboxRow, recordInConversation } from '../../outbox/relay.js';
import { type Connector, type ConnectorFactory, replyContext } from '../connector.js';
import { alreadyDelivered, commentText, str } from '../meta/delivery.js';
import { GraphClient } from '../meta/graph.js';
import { type MetaChange, type MetaEntry, metaWebhookRoutes } from '../meta/webhook.js';

const CHANNEL = 'facebook';
const POST_ITEMS = new Set(['post', 'status', 'photo', 'video']);

const From = z.object({ id: z.string(), name: z.string().optional() });
const FeedValue = z.object({
  item: z.string(),
  verb: z.string(),
  from: From.optional(),
  post_id: z.string().optional(),
  comment_id: z.string().optional(),
  parent_id: z.string().optional(),
  message: z.string().optional(),
  created_time: z.union([z.number(), z.string()]).optional(),
});
type FeedValue = z.infer<typeof FeedValue>;
const GraphObject = z.object({ message: z.string().optional(), from: From.optional() });

export const facebookConnector: ConnectorFactory = (ctx) => {
  const s = ctx.settings;
  if (!s.META_APP_SECRET || !s.META_ACCESS_TOKEN || !s.FACEBOOK_PAGE_ID) return null;
  const graph = new GraphClient({ baseUrl: s.META_GRAPH_URL, accessToken: s.META_ACCESS_TOKEN, appSecret: s.META_APP_SECRET, log: ctx.log });
  return new FacebookConnector(ctx, graph, s.FACEBOOK_PAGE_ID, s.META_APP_SECRET);
};

export class FacebookConnector implements Connector {
  readonly channel = CHANNEL;

  constructor(
    private readonly ctx: Context,
    private readonly graph: GraphClient,
    private readonly pageId: string,
    private readonly appSecret: string,
  ) {}

  async routes(app: FastifyInstance) {
    await metaWebhookRoutes(app, {
      channel: CHANNEL,
      object: 'page',
      appSecret: this.appSecret,
      verifyToken: this.ctx.settings.META_VERIFY_TOKEN,
      log: this.ctx.log,
      handle: (entry, change) => this.onChange(entry, change),
    });
  }

  private async onChange(entry: MetaEntry, change: MetaChange) {
    const { log } = this.ctx;
    if (change.field !== 'feed') return log.info({ channel: CHANNEL, field: change.field }, 'facebook webhook field ignored');
    if (entry.id !== this.pageId) return log.warn({ channel: CHANNEL, page: entry.id }, 'facebook notification for another page ignored');
    const parsed = FeedValue.safeParse(change.value);
    if (!parsed.success) return log.warn({ channel: CHANNEL }, 'malformed facebook feed change ignored');
    const v = parsed.data;
    const isComment = v.item === 'comment';
    // Edits, removals, reactions, likes, shares…: not a new message from a resident.
    if (v.verb !== 'add' || !(isComment || POST_ITEMS.has(v.item)))
      return log.debug({ channel: CHANNEL, item: v.item, verb: v.verb }, 'facebook feed change ignored');
    const objectId = isComment ? v.comment_id : v.post_id;
    if (!objectId || !v.post_id) return log.warn({ channel: CHANNEL, item: v.item }, 'facebook feed change without an id ignored');
    let { message, from } = v;
    if (!message || !from) {
      // Photos and some posts arrive without the text or the author: read them (a Graph error answers 500, Meta retries).
      const o = GraphObject.safeParse(await this.graph.get(objectId, { fields: 'message,from' }));
      message ??= o.success ? o.data.message : undefined;
      from ??= o.success ? o.data.from : undefined;
    }
    if (from?.id === this.pageId) return log.debug({ channel: CHANNEL, id: objectId }, 'the page’s own post or comment ignored');
    if (!message?.trim()) return log.info({ channel: CHANNEL, id: objectId }, 'facebook post or comment without text ignored');
    await receive(this.ctx, this.toInbound(v, isComment, objectId, message, from));
  }

  private toInbound(v: FeedValue, isComment: boolean, objectId: string, text: string, from: z.infer<typeof From> | undefined): InboundMessage {
    // Facebook threads have two levels: a reply to a reply goes under the top-level comment it belongs to.
    const replyTo = isComment && v.parent_id && v.parent_id !== v.post_id ? v.parent_id : objectId;
    return {
      channel: CHANNEL,
      externalId: `${isComment ? 'comment' : 'post'}:${objectId}`,
      threadRef: v.post_id ?? null,
      text,
      sender: from ? { name: from.name, channelUserId: from.id } : null,
      raw: { kind: isComment ? 'comment' : 'post', object_id: objectId, post_id: v.post_id, reply_to: replyTo, change: v },
      audience: 'public',
      addressedTo: [this.pageId],
    };
  }

  /** A comment from the Page under the resident's post or comment; once per outbox row. */
  async deliver(row: OutboxRow) {
    if (await alreadyDelivered(this.ctx.db, row)) return;
    const { source } = await replyContext(this.ctx.db, row);
    const target = str(source?.raw, 'reply_to');
    if (!target) throw new Error(`facebook: outbox row ${row.id} has no post or comment to answer`);
    const sent = await this.graph.post<{ id?: string }>(`${target}/comments`, { message: commentText(row.payload.text) });
    await recordInConversation(this.ctx.db, row, { platform_id: sent.id ?? null, reply_to: target });
  }
}
