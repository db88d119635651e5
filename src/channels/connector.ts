// What every channel connector provides: webhook routes (inbound), pollers (inbound, with cursors that survive
// restarts) and a deliverer (outbound replies from the outbox). A connector that is not configured is off: its
// factory returns null. Inbound always goes through `receive` (stored once, before anything can fail).
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import type { OutboxRow } from '../outbox/relay.js';
import type { Database } from '../store/db.js';

export interface Connector {
  /** The channel name stored with each message, e.g. "telegram". */
  readonly channel: string;
  /** Webhook routes; registered under /channels/<channel>/ on the API role. */
  routes?(app: FastifyInstance): Promise<void>;
  /** Background loops (polling); run on the worker role. `stop` must wait for a loop in flight. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Sends one outbox row (a reply or a status update) on this channel; must tolerate a repeat of the same row. */
  deliver?(row: OutboxRow): Promise<void>;
}

export type ConnectorFactory = (ctx: Context) => Connector | null;

/** A polling position (offset, since_id, UID…) kept in the database, so a restart resumes where it stopped. */
export async function readCursor(db: Database, channel: string, key: string): Promise<string | null> {
  const row = await db.selectFrom('channel_cursors').select('value').where('channel', '=', channel).where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function writeCursor(db: Database, channel: string, key: string, value: string): Promise<void> {
  await db
    .insertInto('channel_cursors')
    .values({ channel, key, value })
    .onConflict((oc) => oc.columns(['channel', 'key']).doUpdateSet({ value, updated_at: new Date() }))
    .execute();
}

export interface ReplyContext {
  ticket: { id: number; number: string; status: string; language: string | null } | null;
  /** The message the resident sent that opened the ticket: where to answer. */
  source: { id: number; external_id: string; thread_ref: string | null; raw: Record<string, unknown> } | null;
  /** The resident's id on this channel (chat id, user id…), when known. */
  channelUserId: string | null;
}

/** Where an outbox row should be answered: the ticket and the message that opened it. */
export async function replyContext(db: Database, row: OutboxRow): Promise<ReplyContext> {
  if (row.ticket_id === null) return { ticket: null, source: null, channelUserId: null };
  const t = await db
    .selectFrom('tickets as t')
    .innerJoin('messages as m', 'm.id', 't.source_message_id')
    .leftJoin('resident_identities as ri', (j) => j.onRef('ri.resident_id', '=', 't.resident_id').onRef('ri.channel', '=', 'm.channel'))
    .select(['t.id', 't.number', 't.status', 't.language', 'm.id as message_id', 'm.external_id', 'm.thread_ref', 'm.raw', 'ri.external_user_id'])
    .where('t.id', '=', row.ticket_id)
    .executeTakeFirst();
  if (!t) return { ticket: null, source: null, channelUserId: null };
  return {
    ticket: { id: t.id, number: t.number, status: t.status, language: t.language },
    source: { id: t.message_id, external_id: t.external_id, thread_ref: t.thread_ref, raw: t.raw },
    channelUserId: t.external_user_id ?? null,
  };
}
