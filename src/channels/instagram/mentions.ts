// Instagram mentions as inbound messages. A `mentions` notification carries only ids, so the comment or caption
// is read from the Graph API (mentioned_comment / mentioned_media); tagged media from GET /{ig-user-id}/tags
// become the same message as a caption mention of that media (one external id per comment or media).
import { z } from 'zod';
import type { InboundMessage } from '../../inbox/intake.js';
import type { GraphClient } from '../meta/graph.js';

export const CHANNEL = 'instagram';

/** The `value` of a `mentions` change: a caption mention has media_id only, a comment mention adds comment_id. */
export const MentionValue = z.object({ media_id: z.string().min(1), comment_id: z.string().min(1).optional() });
export type MentionValue = z.infer<typeof MentionValue>;

const IgMedia = z.object({
  id: z.string(),
  caption: z.string().optional(),
  timestamp: z.string().optional(),
  username: z.string().optional(),
  permalink: z.string().optional(),
  media_type: z.string().optional(),
});
type IgMedia = z.infer<typeof IgMedia>;

const IgComment = z.object({
  id: z.string(),
  text: z.string().optional(),
  timestamp: z.string().optional(),
  username: z.string().optional(),
  media: z.object({ id: z.string(), permalink: z.string().optional() }).optional(),
});

export const TagsPage = z.object({
  data: z.array(IgMedia),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});

const MEDIA_FIELDS = 'id,caption,timestamp,username,permalink,media_type';
const COMMENT_FIELDS = 'id,text,timestamp,username,media{id,permalink}';

export const externalIdOf = (v: MentionValue) => (v.comment_id ? `comment:${v.comment_id}` : `media:${v.media_id}`);

/** Reads the mentioned comment or media; null when Meta returns nothing readable (deleted, no text). */
export async function fetchMention(graph: GraphClient, igUserId: string, v: MentionValue, accountId: string): Promise<InboundMessage | null> {
  if (v.comment_id) {
    const r = await graph.get<{ mentioned_comment?: unknown }>(igUserId, {
      fields: `mentioned_comment.comment_id(${v.comment_id}){${COMMENT_FIELDS}}`,
    });
    const c = IgComment.safeParse(r.mentioned_comment);
    if (!c.success || !c.data.text?.trim()) return null;
    return {
      channel: CHANNEL,
      externalId: externalIdOf(v),
      threadRef: v.media_id,
      text: c.data.text,
      sender: c.data.username ? { name: c.data.username, channelUserId: c.data.username } : null,
      raw: { kind: 'comment', media_id: v.media_id, comment_id: v.comment_id, source: 'webhook', comment: c.data },
      audience: 'public',
      addressedTo: [accountId],
    };
  }
  const r = await graph.get<{ mentioned_media?: unknown }>(igUserId, {
    fields: `mentioned_media.media_id(${v.media_id}){${MEDIA_FIELDS}}`,
  });
  const m = IgMedia.safeParse(r.mentioned_media);
  return m.success ? mediaToInbound(m.data, 'webhook', accountId) : null;
}

export function mediaToInbound(m: IgMedia, source: 'webhook' | 'tags', accountId: string): InboundMessage | null {
  if (!m.caption?.trim()) return null;
  return {
    channel: CHANNEL,
    externalId: `media:${m.id}`,
    threadRef: m.id,
    text: m.caption,
    sender: m.username ? { name: m.username, channelUserId: m.username } : null,
    raw: { kind: 'media', media_id: m.id, source, media: m },
    audience: 'public',
    addressedTo: [accountId],
  };
}

export function tagsRequest(after: string | undefined) {
  return { fields: MEDIA_FIELDS, limit: 25, after };
}

/** Graph timestamps look like 2024-05-01T10:00:00+0000; milliseconds since the epoch, or null. */
export function timeOf(ts: string | undefined): number | null {
  if (!ts) return null;
  const t = Date.parse(ts.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? null : t;
}
