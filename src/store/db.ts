// Owns the database connection: PostgreSQL when DATABASE_URL is set, the embedded PGlite otherwise.
// Everything above this file sees one Kysely instance and one pg.Pool, whichever database is behind them.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// Timestamps come back as Date, bigint ids as numbers (they stay far below 2^53).
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type Database = Kysely<DB>;

export interface Store {
  db: Database;
  pool: pg.Pool;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… ; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Directory for PGlite's files; `memory://` keeps everything in memory (tests). */
  dataDir?: string;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server closed (a restart, a failover, a test database dropped) is replaced by the
    // pool on the next query; without a listener its error would end the process. Queries in flight fail on their own.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, pool, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    kind: 'pglite',
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Adapts a Kysely connection (or open transaction) to the `executeSql` shape that pg-boss accepts. */
// biome-ignore lint/suspicious/noExplicitAny: any database schema, including an open transaction
export function sqlExecutor(db: Kysely<any>) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const res = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: res.rows as Record<string, unknown>[] };
    },
  };
}
