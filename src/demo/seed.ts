// Reference data from the configuration into the database (every start), and the demo accounts and appeals
// (on `--demo`, once: a second start finds them and adds nothing).
import { sql } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import type { City } from '../config/load.js';
import type { Context } from '../context.js';
import { syncWatchlist } from '../inbox/watchlist.js';
import { fileAppeal } from '../pipeline.js';
import type { Database } from '../store/db.js';

/** Rows per INSERT: a building registry brings thousands of organisations, and one statement per row is slow. */
const BATCH = 500;

export async function syncReference(db: Database, city: City) {
  await db.transaction().execute(async (tx) => {
    // Parents first, level by level, so the self-reference holds at every insert.
    for (const level of byDepth(city.organisations)) {
      for (let i = 0; i < level.length; i += BATCH) {
        const rows = level.slice(i, i + BATCH).map((o) => ({ id: o.id, parent_id: o.parent ?? null, kind: o.kind, name: JSON.stringify(o.name) }));
        await tx
          .insertInto('organisations')
          .values(rows)
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet((eb) => ({
                parent_id: eb.ref('excluded.parent_id'),
                kind: eb.ref('excluded.kind'),
                name: eb.ref('excluded.name'),
                active: true,
                updated_at: sql`now()`,
              }))
              // An unchanged organisation is not rewritten on every start.
              .where(
                sql<boolean>`(organisations.parent_id, organisations.kind, organisations.name, organisations.active) IS DISTINCT FROM (excluded.parent_id, excluded.kind, excluded.name, true)`,
              ),
          )
          .execute();
      }
    }
    for (const c of city.categories) {
      await tx
        .insertInto('categories')
        .values({ code: c.code, name: JSON.stringify(c.name), grp: c.group })
        .onConflict((oc) => oc.column('code').doUpdateSet({ name: JSON.stringify(c.name), grp: c.group, active: true, updated_at: sql`now()` }))
        .execute();
    }
  });
}

/** Organisations grouped by their depth in the hierarchy (roots first); a cycle is cut where it closes. */
function byDepth<T extends { id: string; parent?: string | undefined }>(organisations: readonly T[]): T[][] {
  const byId = new Map(organisations.map((o) => [o.id, o]));
  const depth = new Map<string, number>();
  const depthOf = (o: T, seen: Set<string>): number => {
    const known = depth.get(o.id);
    if (known !== undefined) return known;
    const parent = o.parent ? byId.get(o.parent) : undefined;
    const d = parent && !seen.has(parent.id) ? depthOf(parent, seen.add(o.id)) + 1 : 0;
    depth.set(o.id, d);
    return d;
  };
  const levels: T[][] = [];
  for (const o of organisations) {
    const d = depthOf(o, new Set());
    levels[d] = [...(levels[d] ?? []), o];
  }
  return levels.filter(Boolean);
}

export async function seedDemo(ctx: Context): Promise<{ users: number; appeals: number }> {
  const { db, city } = ctx;
  await syncWatchlist(db, city, { demo: true });
  let users = 0;
  for (const u of city.demo.users) {
    const exists = await db.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirst();
    if (exists) continue;
    const created = await db
      .insertInto('users')
      .values({ email: u.email, name: u.name, password_hash: await hashPassword(u.password), locale: u.locale })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('memberships')
      .values({ user_id: created.id, role: u.role, organisation_id: u.organisation ?? null, watch_account_id: u.watch_account ?? null })
      .execute();
    users++;
  }
  let appeals = 0;
  for (const [i, a] of city.demo.appeals.entries()) {
    const filed = await fileAppeal(ctx, {
      channel: a.channel,
      externalId: `demo-${i}`,
      text: a.text,
      location: a.lat !== undefined || a.address ? { lat: a.lat, lon: a.lon, address: a.address } : null,
      raw: { demo: true },
      receivedAt: new Date(Date.now() - a.hours_ago * 3_600_000),
    });
    if (!filed.duplicate) appeals++;
  }
  return { users, appeals };
}
