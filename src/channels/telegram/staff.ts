// Staff accounts in the city's bot: a staff user asks the web app for a one-time code (kept hashed, 15 minutes),
// opens the bot's deep link (/start link-<code>) or sends /link <code> in a private chat, and that chat becomes
// theirs for work notifications (one chat per user; linking again replaces it). Notifications are outbox rows
// with the target { staff_user_id }, sent here once each to the chat linked at the time of sending.
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { LANGUAGES, type Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { commitChange } from '../../outbox/change.js';
import type { OutboxRow } from '../../outbox/relay.js';
import type { Database } from '../../store/db.js';
import type { DB } from '../../store/schema.js';
import { TelegramApi, TelegramError } from './api.js';
import { sendReportDocument } from './deliver.js';
import type { SendLimiter } from './limiter.js';

export const LINK_CODE_MINUTES = 15;
/** No 0/O or 1/I: the code may be typed by hand. 32 letters, so a random byte modulo 32 is unbiased. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
const MAX_TEXT = 4096;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const normalise = (code: string) => code.trim().toUpperCase();

export function languageOf(locale: string | null | undefined, fallback: Language): Language {
  return (LANGUAGES as readonly string[]).includes(locale ?? '') ? (locale as Language) : fallback;
}

// ---- linking ----

export interface LinkCode {
  code: string;
  expires_at: Date;
  /** https://t.me/<bot>?start=link-<code>, or null when the bot's username could not be learnt (getMe failed). */
  deep_link: string | null;
  command: string;
}

/** A new one-time code for the user (any earlier one stops working). */
export async function issueLinkCode(ctx: Context, userId: number): Promise<LinkCode> {
  const token = ctx.settings.TELEGRAM_BOT_TOKEN;
  if (!token) throw AppError.conflict('the Telegram bot is not configured');
  const api = new TelegramApi(ctx.settings.TELEGRAM_API_URL.replace(/\/+$/, ''), token);
  const code = [...randomBytes(CODE_LENGTH)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  const expires_at = new Date(Date.now() + LINK_CODE_MINUTES * 60_000);
  await ctx.db
    .insertInto('staff_telegram_codes')
    .values({ user_id: userId, code_hash: sha256(code), expires_at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ code_hash: sha256(code), expires_at }))
    .execute();
  const username = await botUsername(ctx, api);
  return { code, expires_at, deep_link: username ? `https://t.me/${username}?start=link-${code}` : null, command: `/link ${code}` };
}

/** Links the chat to the owner of the code, once; null for a wrong, used or expired code (the caller says so neutrally). */
export async function linkChat(ctx: Context, chatId: string, code: string): Promise<{ userId: number; name: string; language: Language } | null> {
  const hash = sha256(normalise(code));
  const owner = await ctx.db
    .selectFrom('staff_telegram_codes as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id', 'u.name', 'u.locale'])
    .where('c.code_hash', '=', hash)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!owner) return null;
  return commitChange(ctx.db, { type: 'user', id: String(owner.id) }, async (change) => {
    // Used up by whoever gets here first; an expired code is removed all the same.
    const used = await change.tx
      .deleteFrom('staff_telegram_codes')
      .where('code_hash', '=', hash)
      .where('user_id', '=', owner.id)
      .returning('expires_at')
      .executeTakeFirst();
    if (!used || used.expires_at.getTime() < Date.now()) return null;
    const before = await change.tx.selectFrom('staff_telegram').select('chat_id').where('user_id', '=', owner.id).executeTakeFirst();
    await change.tx
      .insertInto('staff_telegram')
      .values({ user_id: owner.id, chat_id: chatId, linked_at: new Date() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ chat_id: chatId, linked_at: new Date() }))
      .execute();
    change.audit({
      action: 'staff.telegram_linked',
      entityType: 'user',
      entityId: String(owner.id),
      data: { chat_id: chatId, replaced_chat_id: before?.chat_id ?? null },
    });
    return { userId: owner.id, name: owner.name, language: languageOf(owner.locale, ctx.city.city.default_language) };
  });
}

/** Removes the user's link (and any unused code); false when there was none. */
export async function unlinkStaff(ctx: Context, userId: number): Promise<boolean> {
  return commitChange(ctx.db, { type: 'user', id: String(userId) }, async (change) => {
    await change.tx.deleteFrom('staff_telegram_codes').where('user_id', '=', userId).execute();
    const gone = await change.tx.deleteFrom('staff_telegram').where('user_id', '=', userId).returning('chat_id').executeTakeFirst();
    if (gone) change.audit({ action: 'staff.telegram_unlinked', entityType: 'user', entityId: String(userId), data: { chat_id: gone.chat_id } });
    return gone !== undefined;
  });
}

export async function telegramLinked(db: Database, userId: number): Promise<{ linked_at: Date } | null> {
  return (await db.selectFrom('staff_telegram').select('linked_at').where('user_id', '=', userId).executeTakeFirst()) ?? null;
}

/** Of these users, those with a linked chat and an active account, with their language. */
export async function linkedStaff(tx: Transaction<DB> | Database, userIds: number[]): Promise<{ id: number; locale: string }[]> {
  if (userIds.length === 0) return [];
  return tx
    .selectFrom('staff_telegram as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.locale'])
    .where('u.id', 'in', userIds)
    .where('u.disabled', '=', false)
    .orderBy('u.id')
    .execute();
}

// ---- the bot's @username, for deep links ----

const usernames = new Map<string, Promise<string | null>>();

/** getMe, asked once per bot and process; a failure is asked again next time. */
function botUsername(ctx: Context, api: TelegramApi): Promise<string | null> {
  const key = `${ctx.settings.TELEGRAM_API_URL}|${ctx.settings.TELEGRAM_BOT_TOKEN ?? ''}`;
  let p = usernames.get(key);
  if (!p) {
    p = api.call<{ username?: string }>('getMe').then(
      (me) => me.username ?? null,
      (err) => {
        ctx.log.warn({ err: (err as Error).message }, 'telegram getMe failed; the link code is given without a deep link');
        usernames.delete(key);
        return null;
      },
    );
    usernames.set(key, p);
  }
  return p;
}

// ---- delivery ----

export const isStaffTarget = (target: Record<string, unknown>) => typeof target.staff_user_id === 'number';

/**
 * Sends a staff notification to the chat the user has linked now. One not linked any more (or disabled), or a
 * chat that blocked the bot, is dropped with a log line: retrying cannot help. Each row is sent at most once.
 */
export async function deliverToStaff(ctx: Context, api: TelegramApi, limiter: SendLimiter, row: OutboxRow): Promise<void> {
  const userId = row.target.staff_user_id as number;
  const done = await ctx.db
    .selectFrom('staff_notifications')
    .select('platform_id')
    .where('idempotency_key', '=', row.idempotency_key)
    .executeTakeFirst();
  if (done) return;
  const link = await ctx.db
    .selectFrom('staff_telegram as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select('s.chat_id')
    .where('s.user_id', '=', userId)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!link) {
    ctx.log.info({ outbox: row.id, user: userId }, 'telegram staff notification dropped: the user has no linked chat any more');
    return;
  }
  await limiter.acquire(link.chat_id, 5000);
  let sent: { message_id: number };
  try {
    sent =
      row.payload.report_id !== undefined
        ? await sendReportDocument(ctx, api, link.chat_id, row)
        : await api.call<{ message_id: number }>('sendMessage', {
            chat_id: link.chat_id,
            text: row.payload.text.slice(0, MAX_TEXT),
            link_preview_options: { is_disabled: true },
          });
  } catch (err) {
    if (err instanceof TelegramError && err.code === 429) limiter.pause(link.chat_id, err.retryAfter ?? 1);
    // 403: the user blocked the bot or deleted the chat; 400 "chat not found": the chat is gone.
    if (err instanceof TelegramError && (err.code === 403 || (err.code === 400 && /chat not found/i.test(err.message)))) {
      ctx.log.warn({ outbox: row.id, user: userId, err: err.message }, 'telegram staff notification dropped: the chat does not accept it');
      return;
    }
    throw err;
  }
  await ctx.db
    .insertInto('staff_notifications')
    .values({
      idempotency_key: row.idempotency_key,
      user_id: userId,
      chat_id: link.chat_id,
      platform_id: String(sent.message_id),
      ticket_id: row.ticket_id,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}
