// Answers a ticket that started on X: a reply in the resident's thread (in_reply_to_tweet_id = the tweet that
// opened the ticket), posted with the city account's user-context token, at most 280 weighted characters.
import type { Context } from '../../context.js';
import { type OutboxRow, recordInConversation } from '../../outbox/relay.js';
import { replyContext } from '../connector.js';
import { XApiError, type XClient } from './api.js';
import { CHANNEL } from './mentions.js';

export const TWEET_LIMIT = 280;
const ELLIPSIS = '…';

export async function deliverReply(ctx: Context, client: XClient, row: OutboxRow): Promise<void> {
  if (await alreadyRecorded(ctx, row)) return;
  const token = ctx.settings.X_USER_TOKEN;
  if (!token) throw new Error('X_USER_TOKEN is not set: replies on X need the city account’s user-context token');
  const rc = await replyContext(ctx.db, row);
  if (!rc.source) throw new Error(`outbox row ${row.id}: no X tweet to answer`);
  const inReplyTo = rc.source.external_id;
  const text = fitTweet(row.payload.text, rc.ticket?.number ?? null);
  try {
    const posted = await client.postReply(token, text, inReplyTo);
    await recordInConversation(ctx.db, row, { platform_id: posted.id, in_reply_to_tweet_id: inReplyTo });
  } catch (err) {
    // X refuses the same text twice in a row: the reply went out before a crash, but was not recorded.
    if (err instanceof XApiError && err.status === 403 && /duplicate/i.test(err.body)) {
      ctx.log.warn({ channel: CHANNEL, outbox: row.id }, 'X says this reply was already posted: recording it as sent');
      await recordInConversation(ctx.db, row, { platform_id: null, in_reply_to_tweet_id: inReplyTo, duplicate: true });
      return;
    }
    throw err;
  }
}

async function alreadyRecorded(ctx: Context, row: OutboxRow): Promise<boolean> {
  const m = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('channel', '=', row.channel)
    .where('external_id', '=', `out:${row.idempotency_key}`)
    .executeTakeFirst();
  return m !== undefined;
}

/**
 * X counts most characters once, but CJK, emoji and other "wide" ones twice. Cyrillic (Russian and Kazakh)
 * and Latin count once.
 */
export function tweetLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const narrow = cp <= 0x10ff || (cp >= 0x2000 && cp <= 0x200d) || (cp >= 0x2010 && cp <= 0x201f) || (cp >= 0x2032 && cp <= 0x2037);
    n += narrow ? 1 : 2;
  }
  return n;
}

/** Fits a reply into one tweet: whole sentences while they fit, else words and an ellipsis; the ticket number stays. */
export function fitTweet(text: string, number: string | null, limit = TWEET_LIMIT): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (tweetLength(clean) <= limit) return clean;
  const sentences = clean.split(/(?<=[.!?])\s+/);
  let kept = '';
  for (const s of sentences) {
    const next = kept ? `${kept} ${s}` : s;
    if (tweetLength(next) > limit) break;
    kept = next;
  }
  if (kept && (number === null || kept.includes(number))) return kept;
  // No whole sentence fits (or the number would be lost): cut at a word and add the number at the end.
  const suffix = number ? ` ${number}` : '';
  const room = limit - tweetLength(suffix) - tweetLength(ELLIPSIS);
  let cut = '';
  for (const word of clean.split(' ')) {
    const next = cut ? `${cut} ${word}` : word;
    if (tweetLength(next) > room) break;
    cut = next;
  }
  if (!cut) cut = Array.from(clean).slice(0, room).join('');
  const body = cut.replace(/[\s,;:–—-]+$/, '') + ELLIPSIS;
  return number && !body.includes(number) ? body + suffix : body;
}
