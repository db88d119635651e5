// The rollups against a direct recount on a real database (PGlite, or PostgreSQL with DATABASE_URL): counting
// twice, moving after a correction, catching up history, and distinct residents kept exact through all of it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../test/centre.js';
import { openStore, type Store } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { countMissing, recount, verifyRollups } from './rollup.js';

const OFFSET = 300; // Astana, UTC+5
let store: Store;
let drop = async () => {};
let seq = 0;

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const pg = await freshPostgres(process.env.DATABASE_URL);
    drop = pg.drop;
    store = await openStore({ databaseUrl: pg.url });
  } else store = await openStore({ dataDir: 'memory://' });
  await migrate(store.db);
});
afterAll(async () => {
  await store?.close();
  await drop();
});

async function resident() {
  const r = await store.db.insertInto('residents').values({ name: 'x' }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** A stored, triaged inbound message. */
async function message(o: {
  at: string;
  residentId: number | null;
  category?: string | null;
  district?: string | null;
  channel?: string;
  sentiment?: string;
}) {
  const m = await store.db
    .insertInto('messages')
    .values({
      channel: o.channel ?? 'telegram',
      external_id: `m${++seq}`,
      direction: 'in',
      resident_id: o.residentId,
      text: 't',
      received_at: o.at,
      raw: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('message_triage')
    .values({
      message_id: m.id,
      engine: 'test',
      language: 'ru',
      kind: 'complaint',
      category: o.category === undefined ? 'HOTW' : o.category,
      confidence: 0.9,
      sentiment: o.sentiment ?? 'negative',
      urgency: 'normal',
      address: null,
      lat: null,
      lon: null,
      district: o.district === undefined ? 'esil' : o.district,
      explanation: '{}',
    })
    .execute();
  return m.id;
}

const count = (ids: number[]) => store.db.transaction().execute((tx) => recount(tx, OFFSET, ids));
const total = async (table: 'analytics_hourly' | 'analytics_daily') =>
  Number((await sql<{ n: string }>`SELECT coalesce(sum(messages), 0) AS n FROM ${sql.table(table)}`.execute(store.db)).rows[0]?.n);

describe('rollups', () => {
  it('count a message once however often it is counted, and equal a direct recount', async () => {
    const a = await resident();
    const b = await resident();
    const ids = [
      await message({ at: '2025-03-01T04:10:00Z', residentId: a }),
      await message({ at: '2025-03-01T04:50:00Z', residentId: a }),
      await message({ at: '2025-03-01T04:20:00Z', residentId: b, category: null, district: null, channel: 'vk' }),
    ];
    expect(await count(ids)).toEqual({ added: 3, moved: 0 });
    expect(await count(ids)).toEqual({ added: 0, moved: 0 });
    await Promise.all([count(ids), count([ids[0] as number]), count(ids)]);
    expect(await total('analytics_hourly')).toBe(3);
    expect(await total('analytics_daily')).toBe(3);
    expect(await verifyRollups(store.db, OFFSET)).toEqual([]);
    const esil = await store.db.selectFrom('analytics_hourly').selectAll().where('district', '=', 'esil').execute();
    expect(esil).toHaveLength(1);
    expect(esil[0]?.messages).toBe(2);
    // Two messages of one resident are one resident in the cell.
    const res = await store.db.selectFrom('analytics_residents').selectAll().where('district', '=', 'esil').execute();
    expect(res).toEqual([expect.objectContaining({ resident_id: a, messages: 2 })]);
  });

  it('moves a message from its old cell to the new one when an operator corrects category or district', async () => {
    const a = await resident();
    const id = await message({ at: '2025-03-02T10:00:00Z', residentId: a, category: 'HOTW', district: 'esil' });
    const twin = await message({ at: '2025-03-02T10:30:00Z', residentId: a, category: 'HOTW', district: 'esil' });
    await count([id, twin]);
    await store.db.insertInto('labels').values({ message_id: id, field: 'category', value: 'ROAD', source: 'operator' }).execute();
    await store.db.insertInto('labels').values({ message_id: id, field: 'district', value: 'almaty', source: 'operator' }).execute();
    expect(await count([id])).toEqual({ added: 0, moved: 1 });
    expect(await count([id])).toEqual({ added: 0, moved: 0 });
    expect(await verifyRollups(store.db, OFFSET)).toEqual([]);
    const day = await store.db
      .selectFrom('analytics_daily')
      .select(['category', 'district', 'messages'])
      .where('day', '=', '2025-03-02')
      .orderBy('category')
      .execute();
    expect(day).toEqual([
      { category: 'HOTW', district: 'esil', messages: 1 },
      { category: 'ROAD', district: 'almaty', messages: 1 },
    ]);
    // The resident still wrote once in the old cell (the twin), and now once in the new one.
    const res = await store.db
      .selectFrom('analytics_residents')
      .select(['category', 'messages'])
      .where('day', '=', '2025-03-02')
      .orderBy('category')
      .execute();
    expect(res).toEqual([
      { category: 'HOTW', messages: 1 },
      { category: 'ROAD', messages: 1 },
    ]);
  });

  it('puts a message in the local (city) day, not the UTC one', async () => {
    const id = await message({ at: '2025-03-03T20:30:00Z', residentId: null }); // 01:30 on 4 March in Astana
    await count([id]);
    const row = await store.db
      .selectFrom('analytics_counted')
      .select(sql<string>`day::text`.as('day'))
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.day).toBe('2025-03-04');
  });

  it('catches up history loaded before counting, once, in batches', async () => {
    const r = await resident();
    for (let i = 0; i < 25; i++)
      await message({ at: `2025-02-${String(1 + (i % 20)).padStart(2, '0')}T06:00:00Z`, residentId: r, sentiment: i % 2 ? 'neutral' : 'negative' });
    let batches = 0;
    let counted = 0;
    for (;;) {
      const n = await store.db.transaction().execute((tx) => countMissing(tx, OFFSET, 10));
      if (n === 0) break;
      counted += n;
      batches++;
    }
    expect(counted).toBe(25);
    expect(batches).toBe(3);
    expect(await store.db.transaction().execute((tx) => countMissing(tx, OFFSET, 10))).toBe(0);
    expect(await verifyRollups(store.db, OFFSET)).toEqual([]);
  });

  it('leaves out outbound messages and messages not yet triaged', async () => {
    const before = await total('analytics_hourly');
    const out = await store.db
      .insertInto('messages')
      .values({ channel: 'telegram', external_id: `o${++seq}`, direction: 'out', resident_id: null, text: 'reply', raw: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('messages')
      .values({ channel: 'telegram', external_id: `u${++seq}`, direction: 'in', resident_id: null, text: 'waiting', raw: '{}' })
      .execute();
    await count([out.id]);
    await store.db.transaction().execute((tx) => countMissing(tx, OFFSET, 100));
    expect(await total('analytics_hourly')).toBe(before);
  });

  it('notices when the rollups and a direct recount disagree', async () => {
    await sql`UPDATE analytics_hourly SET messages = messages + 1 WHERE district = 'esil'`.execute(store.db);
    expect((await verifyRollups(store.db, OFFSET)).length).toBeGreaterThan(0);
    await sql`UPDATE analytics_hourly SET messages = messages - 1 WHERE district = 'esil'`.execute(store.db);
    expect(await verifyRollups(store.db, OFFSET)).toEqual([]);
  });
});
