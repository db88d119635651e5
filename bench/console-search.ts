// How the console's full-text search runs on PostgreSQL: 5,000 generated messages plus one to find, then EXPLAIN
// ANALYZE of the search's WHERE clause (tickets/search.ts), which must use messages_search_idx (migration 0015).
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/console-search.ts
import { sql } from 'kysely';
import { openStore } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { matches, searchQuery } from '../src/tickets/search.js';
import { freshPostgres } from '../test/centre.js';

const pg = await freshPostgres(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const store = await openStore({ databaseUrl: pg.url } as never);
const db = store.db;
await migrate(db);
const words = [
  'вода',
  'свет',
  'снег',
  'двор',
  'подъезд',
  'отопление',
  'жарық',
  'жоқ',
  'үйде',
  'лифт',
  'мусор',
  'қоқыс',
  'яма',
  'дорога',
  'ещё',
  'батареи',
];
const rows = Array.from({ length: 5000 }, (_, i) => ({
  channel: 'web',
  external_id: `m${i}`,
  direction: 'in' as const,
  text: `${Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3 + (i % 13)) % words.length]).join(' ')} дом ${i}`,
}));
for (let i = 0; i < rows.length; i += 1000)
  await db
    .insertInto('messages')
    .values(rows.slice(i, i + 1000))
    .execute();
await db
  .insertInto('messages')
  .values({ channel: 'web', external_id: 'target', direction: 'in', text: 'Прорвало трубу во дворе, Кенесары 40' })
  .execute();
await sql`ANALYZE messages`.execute(db);
const q = searchQuery('прорвал трубу') as string;
const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ANALYZE SELECT m.id FROM messages m WHERE ${matches(q)}`.execute(db);
console.log(q);
for (const r of plan.rows) console.log(r['QUERY PLAN']);
await store.close?.();
await pg.drop();
