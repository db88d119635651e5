// Portal access keys: the web resident's proof that an appeal is theirs. A key is 192 random bits, shown to the
// resident once when they file; only its SHA-256 is stored, bound to the message that opened the ticket. A fast
// hash is enough: the key is random, not a password a person chose, so it cannot be guessed from its hash.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';

/** What an access key looks like (base64url); anything else is refused before the database is asked. */
export const ACCESS_KEY = /^[A-Za-z0-9_-]{22,128}$/;

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new key for the appeal stored as `messageId`: returned once, never stored itself. */
export async function issueAccessKey(db: Kysely<DB>, messageId: number): Promise<string> {
  const key = randomBytes(24).toString('base64url');
  await db
    .insertInto('resident_access')
    .values({ key_hash: hashKey(key), message_id: messageId })
    .execute();
  return key;
}

/** Whether the appeal stored as `messageId` already has a key (a repeated filing does not get another one). */
export async function hasAccessKey(db: Kysely<DB>, messageId: number): Promise<boolean> {
  const row = await db.selectFrom('resident_access').select('key_hash').where('message_id', '=', messageId).executeTakeFirst();
  return row !== undefined;
}

/** Whether `key` opens the ticket whose first message is `sourceMessageId`. */
export async function keyOpens(db: Kysely<DB>, sourceMessageId: number, key: string): Promise<boolean> {
  if (!ACCESS_KEY.test(key)) return false;
  const row = await db
    .selectFrom('resident_access')
    .select('message_id')
    .where('key_hash', '=', hashKey(key))
    .where('message_id', '=', sourceMessageId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The ticket with this number if `key` opens it; otherwise nothing, exactly as for a number that does not exist. */
export async function ticketForKey(db: Kysely<DB>, number: string, key: string) {
  if (!ACCESS_KEY.test(key)) return undefined;
  return db
    .selectFrom('tickets as t')
    .innerJoin('resident_access as a', 'a.message_id', 't.source_message_id')
    .selectAll('t')
    .where('t.number', '=', number)
    .where('a.key_hash', '=', hashKey(key))
    .executeTakeFirst();
}
