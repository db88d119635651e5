// Polls the mentions of each watched X account. The cursor (since_id, and while a catch-up is under way its
// pagination token) is stored after every page, so a restart or a rate limit resumes without gaps; the tweet id
// is the external id, so a page fetched twice stores nothing twice.
import type { Context } from '../../context.js';
import { type InboundMessage, receive } from '../../inbox/intake.js';
import { readCursor, writeCursor } from '../connector.js';
import { XApiError, type XClient, type XTweet, type XUser } from './api.js';

export const CHANNEL = 'x';
const PAGE_SIZE = 100;
/** The mentions timeline holds the 800 most recent tweets: 8 pages of 100. */
const MAX_PAGES = 10;

interface MentionsCursor {
  since_id: string | null;
  /** While catching up: the next (older) page to fetch, and the newest id seen, which becomes since_id at the end. */
  next_token?: string;
  newest_id?: string;
}

const cursorKey = (userId: string) => `mentions:${userId}`;

async function loadCursor(ctx: Context, userId: string): Promise<MentionsCursor> {
  const v = await readCursor(ctx.db, CHANNEL, cursorKey(userId));
  if (!v) return { since_id: null };
  try {
    return JSON.parse(v) as MentionsCursor;
  } catch {
    return { since_id: v }; // a bare id
  }
}

/** One poll of one watched account; returns how many new mentions were stored. */
export async function pollMentions(ctx: Context, client: XClient, token: string, userId: string, stopping: () => boolean): Promise<number> {
  let cursor = await loadCursor(ctx, userId);
  // The very first poll starts from now: the newest page only, not the account's whole history.
  const firstRun = cursor.since_id === null && cursor.next_token === undefined;
  let stored = 0;
  for (let page = 0; page < MAX_PAGES && !stopping(); page++) {
    let body: Awaited<ReturnType<XClient['mentions']>>;
    try {
      body = await client.mentions(token, userId, { sinceId: cursor.since_id, paginationToken: cursor.next_token ?? null, maxResults: PAGE_SIZE });
    } catch (err) {
      if (err instanceof XApiError && err.status === 400 && cursor.next_token) {
        // An expired pagination token: start the catch-up again from since_id (repeats are stored once).
        ctx.log.warn({ channel: CHANNEL, userId, err: err.message }, 'X pagination token refused: catching up again from since_id');
        await writeCursor(ctx.db, CHANNEL, cursorKey(userId), JSON.stringify({ since_id: cursor.since_id }));
      }
      throw err;
    }
    const users = new Map((body.includes?.users ?? []).map((u) => [u.id, u]));
    // Oldest first, so tickets are numbered in the order residents wrote.
    const tweets = [...(body.data ?? [])].sort((a, b) => compareIds(a.id, b.id));
    for (const t of tweets) {
      if (t.author_id && ctx.settings.X_WATCH_USER_IDS.includes(t.author_id)) continue; // the city's own accounts
      const r = await receive(ctx, tweetToInbound(t, t.author_id ? users.get(t.author_id) : undefined, { watchedUserId: userId }));
      if (!r.duplicate) stored++;
    }
    const newest = cursor.newest_id ?? body.meta?.newest_id ?? maxId(tweets);
    const next = body.meta?.next_token;
    if (next && !firstRun) {
      cursor = { since_id: cursor.since_id, next_token: next, ...(newest ? { newest_id: newest } : {}) };
      await writeCursor(ctx.db, CHANNEL, cursorKey(userId), JSON.stringify(cursor));
      continue;
    }
    cursor = { since_id: newest ?? cursor.since_id };
    if (cursor.since_id) await writeCursor(ctx.db, CHANNEL, cursorKey(userId), JSON.stringify(cursor));
    break;
  }
  return stored;
}

/**
 * A tweet as an inbound message, heard either in a watched account's mentions or on the filtered stream (by the
 * rules it matched). The tweet id is the external id either way, so a tweet heard both ways is one message.
 */
export function tweetToInbound(
  t: XTweet,
  author: XUser | undefined,
  heard: { watchedUserId: string } | { matchingRules: { id: string; tag?: string }[] },
): InboundMessage {
  const created = t.created_at ? new Date(t.created_at) : null;
  return {
    channel: CHANNEL,
    externalId: t.id,
    threadRef: t.conversation_id ?? t.id,
    text: t.text,
    location: pointOf(t.geo),
    sender: {
      name: author?.name ?? (author?.username ? `@${author.username}` : undefined),
      channelUserId: t.author_id,
    },
    raw:
      'watchedUserId' in heard
        ? { tweet: t, author: author ?? null, watched_user_id: heard.watchedUserId }
        : { tweet: t, author: author ?? null, matching_rules: heard.matchingRules },
    audience: 'public',
    // On the stream, the accounts the tweet @-mentions (matched with the watchlist's X handles).
    addressedTo: 'watchedUserId' in heard ? [heard.watchedUserId] : mentionedUsernames(t),
    ...(created && !Number.isNaN(created.getTime()) ? { receivedAt: created } : {}),
  };
}

function mentionedUsernames(t: XTweet): string[] {
  const mentions = (t.entities as { mentions?: { username?: unknown }[] } | undefined)?.mentions ?? [];
  return mentions.map((m) => m.username).filter((u): u is string => typeof u === 'string');
}

/** A tweet with exact coordinates ({type: Point, coordinates: [lon, lat]}); a place id alone is not a location. */
function pointOf(geo: XTweet['geo']) {
  const c = (geo as { coordinates?: { type?: string; coordinates?: unknown } } | undefined)?.coordinates;
  if (c?.type !== 'Point' || !Array.isArray(c.coordinates) || c.coordinates.length < 2) return null;
  const [lon, lat] = c.coordinates as number[];
  return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null;
}

/** Tweet ids are 64-bit: compare them as big integers, not as numbers or strings. */
function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function maxId(tweets: XTweet[]): string | undefined {
  return tweets.reduce<string | undefined>((m, t) => (m === undefined || compareIds(t.id, m) > 0 ? t.id : m), undefined);
}
