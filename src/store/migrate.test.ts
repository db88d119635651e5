import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../test/centre.js';
import { openStore, type Store } from './db.js';
import { migrate } from './migrate.js';

// Runs on whichever database the suite targets: PGlite by default, PostgreSQL with DATABASE_URL.
let store: Store;
let drop = async () => {};
beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const pg = await freshPostgres(process.env.DATABASE_URL);
    drop = pg.drop;
    store = await openStore({ databaseUrl: pg.url });
  } else store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store?.close();
  await drop();
});

describe('migrations', () => {
  it('apply in order on an empty database, then find nothing left to do', async () => {
    const applied = await migrate(store.db);
    expect(applied[0]).toBe('0001_foundation');
    expect(await migrate(store.db)).toEqual([]);
  });

  it('create every table the code expects', async () => {
    const rows = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(store.db);
    const tables = rows.rows.map((r) => r.table_name);
    for (const t of [
      'messages',
      'message_triage',
      'tickets',
      'ticket_messages',
      'audit_log',
      'outbox',
      'users',
      'memberships',
      'sessions',
      'residents',
      'resident_identities',
      'attachments',
      'organisations',
      'categories',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('refuse a second message with the same channel and external id', async () => {
    const row = { channel: 'web', external_id: 'x-1', direction: 'in' as const, text: 't', location: null };
    await store.db.insertInto('messages').values(row).execute();
    await expect(store.db.insertInto('messages').values(row).execute()).rejects.toThrow(/duplicate key|unique/i);
  });

  it('store Kazakh text and compare it case-insensitively', async () => {
    const r = await sql<{ u: string }>`SELECT upper('әғқңөұүһі') AS u`.execute(store.db);
    expect(r.rows[0]?.u).toBe('ӘҒҚҢӨҰҮҺІ');
  });
});
