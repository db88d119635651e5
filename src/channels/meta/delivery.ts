// What Instagram and Facebook replies share: never send an outbox row twice (a row whose reply is already in the
// ticket's conversation was accepted by Meta before), and the text Meta accepts for a comment.
import type { OutboxRow } from '../../outbox/relay.js';
import type { Database } from '../../store/db.js';

export async function alreadyDelivered(db: Database, row: OutboxRow): Promise<boolean> {
  const found = await db
    .selectFrom('messages')
    .select('id')
    .where('channel', '=', row.channel)
    .where('external_id', '=', `out:${row.idempotency_key}`)
    .executeTakeFirst();
  return found !== undefined;
}

/** Instagram comments are at most 2,200 characters; Facebook allows more, the shorter limit keeps one rule. */
export function commentText(text: string): string {
  const t = text.trim();
  return t.length <= 2200 ? t : `${t.slice(0, 2199)}…`;
}

/** A string field of a JSON object stored in messages.raw, if it is one. */
export function str(o: unknown, key: string): string | undefined {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}
