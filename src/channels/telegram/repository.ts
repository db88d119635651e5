// What the Telegram bot keeps and looks up: each chat's conversation state (in channel_cursors, one row per chat),
// which residents a chat speaks for, and which ticket a message of the bot was about.
import { sql } from 'kysely';
import type { Language } from '../../config/schema.js';
import type { Database } from '../../store/db.js';
import { readCursor, writeCursor } from '../connector.js';

export const CHANNEL = 'telegram';

export interface ChatState {
  lang?: Language;
  /** The resident's own number, shared with the contact button (+digits). */
  phone?: string;
  /** What the bot asked for last. */
  awaiting?: { kind: 'appeal' } | { kind: 'number' } | { kind: 'reopen'; number: string };
  /** The resident's latest appeal, so a photo or location sent right after joins it. */
  last?: { messageId: number; at: number };
  /** A photo or location sent before any words: kept until the description arrives. */
  draft?: { photos: string[]; location?: { lat: number; lon: number }; messageIds: number[] };
}

const stateKey = (chatId: string) => `chat:${chatId}`;

export async function loadState(db: Database, chatId: string): Promise<ChatState> {
  const v = await readCursor(db, CHANNEL, stateKey(chatId));
  if (!v) return {};
  try {
    return JSON.parse(v) as ChatState;
  } catch {
    return {};
  }
}

export const saveState = (db: Database, chatId: string, s: ChatState) => writeCursor(db, CHANNEL, stateKey(chatId), JSON.stringify(s));

/** Residents this chat speaks for: the chat's own identity and the phone number its user shared. */
export async function chatResidents(db: Database, chatId: string, phone: string | undefined): Promise<Set<number>> {
  const rows = await db
    .selectFrom('resident_identities')
    .select('resident_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('channel', '=', CHANNEL), eb('external_user_id', '=', chatId)]),
        ...(phone ? [eb.and([eb('channel', '=', 'tel'), eb('external_user_id', '=', phone)])] : []),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.resident_id));
}

/** The shared phone joins the chat's resident (when there is one yet): they are one person across channels. */
export async function rememberPhone(db: Database, chatId: string, phone: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const own = await tx
      .selectFrom('resident_identities')
      .select('resident_id')
      .where('channel', '=', CHANNEL)
      .where('external_user_id', '=', chatId)
      .executeTakeFirst();
    if (!own) return; // no appeal yet: the phone goes with the first one
    await tx.updateTable('residents').set({ phone }).where('id', '=', own.resident_id).where('phone', 'is', null).execute();
    await tx
      .insertInto('resident_identities')
      .values({ resident_id: own.resident_id, channel: 'tel', external_user_id: phone })
      .onConflict((oc) => oc.columns(['channel', 'external_user_id']).doNothing())
      .execute();
  });
}

/** The ticket a message the bot sent in this chat was about (a reply to it continues that ticket). */
export async function ticketOfBotMessage(db: Database, chatId: string, platformMessageId: number): Promise<string | null> {
  const row = await db
    .selectFrom('messages as m')
    .innerJoin('ticket_messages as tm', 'tm.message_id', 'm.id')
    .innerJoin('tickets as t', 't.id', 'tm.ticket_id')
    .select('t.number')
    .where('m.channel', '=', CHANNEL)
    .where('m.direction', '=', 'out')
    .where(sql<string>`m.raw->>'chat_id'`, '=', chatId)
    .where(sql<string>`m.raw->>'platform_id'`, '=', String(platformMessageId))
    .executeTakeFirst();
  return row?.number ?? null;
}

export async function isStored(db: Database, externalId: string): Promise<boolean> {
  const r = await db.selectFrom('messages').select('id').where('channel', '=', CHANNEL).where('external_id', '=', externalId).executeTakeFirst();
  return r !== undefined;
}

/** Already delivered (the reply is in the ticket's conversation): a repeat of the outbox row must not send again. */
export async function alreadyDelivered(db: Database, idempotencyKey: string): Promise<boolean> {
  return isStored(db, `out:${idempotencyKey}`);
}
