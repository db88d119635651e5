// The inbox: every message the city receives is stored here first, idempotently (one row per channel and
// external id), together with the job that carries it on; nothing downstream can lose it.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Context } from '../context.js';
import type { DB, MessageLocation } from '../store/schema.js';
import { hear } from './watchlist.js';

export interface InboundMessage {
  channel: string;
  /** The platform's id for this message (or the client's idempotency key): redelivery carries the same one. */
  externalId: string;
  threadRef?: string | null;
  text: string;
  location?: MessageLocation | null;
  sender?: { name?: string | undefined; phone?: string | undefined; email?: string | undefined; channelUserId?: string | undefined } | null;
  attachments?: { contentType: string; filename?: string | undefined; bytes: Buffer }[];
  raw: Record<string, unknown>;
  /** "public" for a post or comment heard on a social network; "direct" (default) when written to the city. */
  audience?: 'direct' | 'public';
  /** The platform's references to the accounts the message tags or is written to (ids or handles); matched with
   * the watchlist, so the message is attributed to the watched officials among them. */
  addressedTo?: string[];
  /** The operator who entered it (109 calls). */
  enteredBy?: number | null;
  receivedAt?: Date;
}

export interface Received {
  messageId: number;
  duplicate: boolean;
}

export async function receive(ctx: Context, msg: InboundMessage): Promise<Received> {
  const heard = await hear(ctx.db, msg.channel, msg.addressedTo ?? [], msg.text);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const existing = await findMessage(tx, msg.channel, msg.externalId);
    if (existing) return { messageId: existing, duplicate: true };
    const residentId = msg.sender ? await resolveResident(tx, msg.channel, msg.sender) : null;
    const row = await tx
      .insertInto('messages')
      .values({
        channel: msg.channel,
        external_id: msg.externalId,
        thread_ref: msg.threadRef ?? null,
        direction: 'in',
        resident_id: residentId,
        author_user_id: msg.enteredBy ?? null,
        text: msg.text,
        location: msg.location ? JSON.stringify(msg.location) : null,
        raw: JSON.stringify(msg.raw),
        received_at: msg.receivedAt ?? new Date(),
        audience: msg.audience ?? 'direct',
        addressed_to: heard.accounts,
        heard_terms: heard.terms,
      })
      .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // A concurrent delivery of the same message won the race: it is stored once, by the other one.
    if (!row) return { messageId: (await findMessage(tx, msg.channel, msg.externalId)) as number, duplicate: true };
    await storeAttachments(tx, row.id, msg.attachments ?? []);
    await ctx.queue.send('triage', { messageId: row.id }, { tx });
    return { messageId: row.id, duplicate: false };
  });
  if (!result.duplicate) ctx.log.info({ message: result.messageId, channel: msg.channel }, 'message received');
  return result;
}

/** A message's photos and files, each once (by content hash) however often the message is delivered. */
export async function storeAttachments(
  tx: Transaction<DB>,
  messageId: number,
  attachments: NonNullable<InboundMessage['attachments']>,
): Promise<void> {
  for (const a of attachments) {
    await tx
      .insertInto('attachments')
      .values({
        message_id: messageId,
        content_type: a.contentType,
        filename: a.filename ?? null,
        bytes: a.bytes,
        sha256: createHash('sha256').update(a.bytes).digest('hex'),
      })
      .onConflict((oc) => oc.columns(['message_id', 'sha256']).doNothing())
      .execute();
  }
}

async function findMessage(tx: Transaction<DB>, channel: string, externalId: string) {
  const r = await tx.selectFrom('messages').select('id').where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
  return r?.id ?? null;
}

/** One resident across channels: a phone number or e-mail seen before links the new message to the same person. */
async function resolveResident(tx: Transaction<DB>, channel: string, s: NonNullable<InboundMessage['sender']>): Promise<number | null> {
  const ids: [string, string][] = [];
  if (s.phone) ids.push(['tel', s.phone.replace(/[^\d+]/g, '')]);
  if (s.email) ids.push(['email', s.email.trim().toLowerCase()]);
  if (s.channelUserId) ids.push([channel, s.channelUserId]);
  if (ids.length === 0 && !s.name) return null;
  for (const [kind, value] of ids) {
    const found = await tx
      .selectFrom('resident_identities')
      .select('resident_id')
      .where('channel', '=', kind)
      .where('external_user_id', '=', value)
      .executeTakeFirst();
    if (found) return found.resident_id;
  }
  const resident = await tx
    .insertInto('residents')
    .values({ name: s.name ?? null, phone: s.phone ?? null, email: s.email ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [kind, value] of ids) {
    await tx
      .insertInto('resident_identities')
      .values({ resident_id: resident.id, channel: kind, external_user_id: value })
      .onConflict((oc) => oc.columns(['channel', 'external_user_id']).doNothing())
      .execute();
  }
  return resident.id;
}
