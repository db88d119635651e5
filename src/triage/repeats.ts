// Is this message the same problem as one the city already heard? Candidates come from the database (recent
// triaged messages of the same category or district), so every worker process sees every message; the
// decision itself is the DuplicateFinder's (text, place, category and time, see duplicates/cluster.ts).
import { sql } from 'kysely';
import type { Database } from '../store/db.js';
import { DuplicateFinder, type DuplicateItem, type DuplicateMatch } from './duplicates/cluster.js';

const WINDOW_HOURS = 72;
// The most recent are enough: during an outage they already belong to the same cluster.
const MAX_CANDIDATES = 100;

export interface Repeat {
  signature: string;
  match: (DuplicateMatch & { messageId: number }) | null;
}

// One finder per database per process (building one costs ~30 ms); it only ever holds messages read from the
// database, so it agrees with every other process, and the time window expires what is old.
const finders = new WeakMap<Database, DuplicateFinder>();

export async function findRepeat(db: Database, messageId: number, item: Omit<DuplicateItem, 'id'>): Promise<Repeat> {
  let finder = finders.get(db);
  if (!finder) {
    finder = new DuplicateFinder();
    finders.set(db, finder);
  }
  if (finder.size > 5000) finder.expire(item.at);
  const signature = finder.signature(item.text);
  const rows = await db
    .selectFrom('message_triage as t')
    .innerJoin('messages as m', 'm.id', 't.message_id')
    .select(['m.id', 'm.text', 'm.received_at', 't.category', 't.lat', 't.lon', 't.address', 't.district', 't.dup_signature'])
    .where('m.id', '!=', messageId)
    .where('m.received_at', '>', sql<Date>`${item.at}::timestamptz - make_interval(hours => ${WINDOW_HOURS})`)
    .where('m.received_at', '<=', item.at)
    .where((eb) =>
      eb.or([
        item.category ? eb('t.category', '=', item.category) : eb('t.category', 'is', null),
        ...(item.district ? [eb('t.district', '=', item.district)] : []),
      ]),
    )
    .orderBy('m.received_at', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  for (const r of rows) {
    if (finder.clusterOf(String(r.id)) !== undefined) continue;
    // Stored signatures spare recomputing them; a row from before signatures were stored gets one now.
    const sig = r.dup_signature?.startsWith('mh1:') ? r.dup_signature : undefined;
    finder.add(
      { id: String(r.id), text: r.text, category: r.category, lat: r.lat, lon: r.lon, address: r.address, district: r.district, at: r.received_at },
      sig,
    );
  }
  const match = finder.findMatch({ ...item, id: String(messageId) }, signature);
  return { signature, match: match ? { ...match, messageId: Number(match.id) } : null };
}
