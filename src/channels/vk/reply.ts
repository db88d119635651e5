// Answers a ticket that started on VK where the resident wrote: a comment under the wall post (in the comment's
// thread for a comment) or a private message from the community. VK de-duplicates by itself too: `guid` for a
// comment and `random_id` for a message are derived from the outbox row's idempotency key.
import { createHash } from 'node:crypto';
import type { Context } from '../../context.js';
import { type OutboxRow, recordInConversation } from '../../outbox/relay.js';
import { replyContext } from '../connector.js';
import type { VkClient } from './api.js';

/** VK takes up to 4096 characters in a message; a reply never needs more. */
const MAX_TEXT = 4000;

export type VkTarget =
  | { kind: 'wall'; ownerId: number; postId: number }
  | { kind: 'reply'; ownerId: number; postId: number; commentId: number }
  | { kind: 'msg'; peerId: number };

/** Where to answer, from the external id the callback gave the resident's message. */
export function targetOf(externalId: string): VkTarget | null {
  let m = /^wall:(-?\d+)_(\d+)$/.exec(externalId);
  if (m) return { kind: 'wall', ownerId: Number(m[1]), postId: Number(m[2]) };
  m = /^reply:(-?\d+)_(\d+)_(\d+)$/.exec(externalId);
  if (m) return { kind: 'reply', ownerId: Number(m[1]), postId: Number(m[2]), commentId: Number(m[3]) };
  m = /^msg:(-?\d+)_\d+$/.exec(externalId);
  if (m) return { kind: 'msg', peerId: Number(m[1]) };
  return null;
}

/** A positive 31-bit integer, the same for the same key: VK sends a message with a repeated random_id once. */
export function randomIdFor(idempotencyKey: string): number {
  return createHash('sha256').update(idempotencyKey).digest().readUInt32BE(0) & 0x7fffffff;
}

export async function deliverReply(ctx: Context, client: VkClient, row: OutboxRow): Promise<void> {
  const recorded = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('channel', '=', row.channel)
    .where('external_id', '=', `out:${row.idempotency_key}`)
    .executeTakeFirst();
  if (recorded) return;
  const rc = await replyContext(ctx.db, row);
  const target = rc.source ? targetOf(rc.source.external_id) : null;
  if (!target) throw new Error(`outbox row ${row.id}: no VK post, comment or conversation to answer`);
  const message = Array.from(row.payload.text).slice(0, MAX_TEXT).join('');
  if (target.kind === 'msg') {
    const id = await client.call<number>('messages.send', { peer_id: target.peerId, random_id: randomIdFor(row.idempotency_key), message });
    await recordInConversation(ctx.db, row, { platform_id: String(id), method: 'messages.send', peer_id: target.peerId });
    return;
  }
  const r = await client.call<{ comment_id: number }>('wall.createComment', {
    owner_id: target.ownerId,
    post_id: target.postId,
    reply_to_comment: target.kind === 'reply' ? target.commentId : undefined,
    from_group: Number(ctx.settings.VK_GROUP_ID),
    guid: createHash('sha256').update(row.idempotency_key).digest('hex').slice(0, 32),
    message,
  });
  await recordInConversation(ctx.db, row, {
    platform_id: String(r.comment_id),
    method: 'wall.createComment',
    owner_id: target.ownerId,
    post_id: target.postId,
  });
}
