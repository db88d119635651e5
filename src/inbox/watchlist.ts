// Listening for whom and for what: the watchlist (officials' accounts, hashtags, keywords) from the city's
// configuration, editable by admins, and the attribution of each inbound message to the officials it tags.
import { sql } from 'kysely';
import type { City } from '../config/load.js';
import type { Database } from '../store/db.js';

/** Configuration into the database at start; entries an admin edited are theirs and are left alone. */
export async function syncWatchlist(db: Database, city: City, opts: { demo: boolean }): Promise<void> {
  forgetWatchlist(db);
  await db.transaction().execute(async (tx) => {
    for (const a of city.watchlists.accounts) {
      if (a.demo && !opts.demo) continue;
      const row = {
        id: a.id,
        name: JSON.stringify(a.name),
        title: JSON.stringify(a.title),
        organisation_id: a.organisation ?? null,
        handles: JSON.stringify(a.handles),
        source: 'config' as const,
      };
      await tx
        .insertInto('watch_accounts')
        .values(row)
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ name: row.name, title: row.title, organisation_id: row.organisation_id, handles: row.handles, updated_at: sql`now()` })
            .where('watch_accounts.source', '=', 'config'),
        )
        .execute();
    }
    const terms = [
      ...city.watchlists.hashtags.map((term) => ({ kind: 'hashtag' as const, language: 'any' as const, term })),
      ...(['ru', 'kk', 'en'] as const).flatMap((language) =>
        city.watchlists.keywords[language].map((term) => ({ kind: 'keyword' as const, language, term: term.toLowerCase() })),
      ),
    ];
    for (const t of terms)
      await tx
        .insertInto('watch_terms')
        .values({ ...t, source: 'config' })
        .onConflict((oc) => oc.columns(['kind', 'language', 'term']).doNothing())
        .execute();
  });
}

// Every inbound message is matched against the watchlist: it is read from the database at most every few seconds
// per process (an admin's edit in this process is seen at once, in another within CACHE_MS).
const CACHE_MS = 5_000;
const cache = new WeakMap<Database, { at: number; list: ReturnType<typeof readWatchlist> }>();

async function readWatchlist(db: Database) {
  const accounts = await db.selectFrom('watch_accounts').select(['id', 'handles']).where('active', '=', true).execute();
  const terms = await db.selectFrom('watch_terms').select(['kind', 'term']).execute();
  return { accounts, terms };
}

function watchlist(db: Database) {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.list;
  const list = readWatchlist(db);
  cache.set(db, { at: Date.now(), list });
  list.catch(() => cache.delete(db));
  return list;
}

/** After an edit: the next message reads the watchlist afresh. */
export function forgetWatchlist(db: Database): void {
  cache.delete(db);
}

export interface Heard {
  /** Watched accounts the message tags or answers. */
  accounts: string[];
  /** Watched hashtags ("#astana109") and keywords it contains. */
  terms: string[];
}

const MENTION = /(?:^|[^\p{L}\p{N}_.@])@([A-Za-z0-9_.]{2,64})/gu;
const HASHTAG = /(?:^|[^\p{L}\p{N}_#])#([\p{L}\p{N}_]{2,64})/gu;

/**
 * Which watched officials a message is addressed to: the platform's own account references (`refs`: the account
 * the platform says was mentioned or whose page was written on) and @handles in the text, on that channel.
 */
export async function hear(db: Database, channel: string, refs: readonly string[], text: string): Promise<Heard> {
  const { accounts, terms } = await watchlist(db);
  const mentioned = new Set([
    ...refs.map((r) => r.replace(/^@/, '').toLowerCase()),
    ...[...text.matchAll(MENTION)].map((m) => (m[1] as string).toLowerCase()),
  ]);
  const found = accounts.filter((a) => {
    // A message from a channel Qala has no handles for (an import) is matched against every platform's handles.
    const handles: string[] = a.handles[channel] ?? (KNOWN_CHANNELS.has(channel) ? [] : Object.values(a.handles).flatMap((h) => h ?? []));
    return handles.some((h) => mentioned.has(h));
  });
  const tags = new Set([...text.matchAll(HASHTAG)].map((m) => (m[1] as string).toLowerCase()));
  // Handles and addresses are names, not words: "@demo_akim" does not contain the keyword "akim".
  const lower = text.replace(/\S*@\S+/g, ' ').toLowerCase();
  const heardTerms = terms
    .filter((t) => (t.kind === 'hashtag' ? tags.has(t.term) : containsWord(lower, t.term)))
    .map((t) => (t.kind === 'hashtag' ? `#${t.term}` : t.term));
  return { accounts: found.map((a) => a.id).sort(), terms: [...new Set(heardTerms)].sort() };
}

const KNOWN_CHANNELS = new Set(['instagram', 'facebook', 'x', 'vk', 'telegram']);

/** The keyword at the start of a word (so "аким" finds "акимат" and "акиму" but not "маким"). */
function containsWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = i === 0 ? '' : (text[i - 1] as string);
    if (!before || !/[\p{L}\p{N}]/u.test(before)) return true;
  }
  return false;
}
