// Reference data from the configuration into the database (every start), and the demo accounts and appeals
// (on `--demo`, once: a second start finds them and adds nothing).
import { sql } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import type { City } from '../config/load.js';
import type { Context } from '../context.js';
import { syncWatchlist } from '../inbox/watchlist.js';
import { fileAppeal } from '../pipeline.js';
import type { Database } from '../store/db.js';

export async function syncReference(db: Database, city: City) {
  await db.transaction().execute(async (tx) => {
    // Parents first, so the self-reference holds at every insert.
    const ordered = [...city.organisations].sort((a, b) => Number(Boolean(a.parent)) - Number(Boolean(b.parent)));
    for (const o of ordered) {
      await tx
        .insertInto('organisations')
        .values({ id: o.id, parent_id: o.parent ?? null, kind: o.kind, name: JSON.stringify(o.name) })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ parent_id: o.parent ?? null, kind: o.kind, name: JSON.stringify(o.name), active: true, updated_at: sql`now()` }),
        )
        .execute();
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
