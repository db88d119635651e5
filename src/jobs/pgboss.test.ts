import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../test/centre.js';
import { createLogger } from '../log.js';
import { openStore, type Store } from '../store/db.js';
import { PgBossQueue } from './pgboss.js';

describe('PgBossQueue', () => {
  // Each test has a database of its own: jobs left by another run must not reach these workers.
  let store: Store | undefined;
  let drop = async () => {};
  async function open() {
    if (!process.env.DATABASE_URL) return openStore({});
    const db = await freshPostgres(process.env.DATABASE_URL);
    drop = db.drop;
    return openStore({ databaseUrl: db.url });
  }
  afterEach(async () => {
    await store?.close();
    await drop();
    store = undefined;
    drop = async () => {};
  });

  it('runs a job sent to it', async () => {
    store = await open();
    const queue = new PgBossQueue(store.db, createLogger('silent'));
    await queue.start();
    const seen: number[] = [];
    let done = () => {};
    const ran = new Promise<void>((resolve) => {
      done = resolve;
    });
    await queue.work('triage', async ({ messageId }) => {
      seen.push(messageId);
      done();
    });
    await queue.send('triage', { messageId: 7 });
    await ran;
    await queue.stop();
    expect(seen).toEqual([7]);
  });

  it('a handler that outlives stop reports into nothing instead of an unhandled rejection', async () => {
    store = await open();
    const queue = new PgBossQueue(store.db, createLogger('silent'), 0.5, 50);
    await queue.start();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      let release = () => {};
      let begin = () => {};
      const started = new Promise<void>((resolve) => {
        begin = resolve;
      });
      await queue.work('triage', async () => {
        begin();
        await new Promise<void>((r) => {
          release = r;
        });
        throw new Error('handler failed after stop');
      });
      await queue.send('triage', { messageId: 1 });
      await started;
      await queue.stop(); // gives up waiting after 50 ms; the handler is still running
      release();
      await new Promise((r) => setTimeout(r, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('takes a burst in batches, and a job that fails is retried on its own', async () => {
    store = await open();
    const queue = new PgBossQueue(store.db, createLogger('silent'));
    await queue.start();
    const runs = new Map<number, number>();
    let finish = () => {};
    const allDone = new Promise<void>((resolve) => {
      finish = resolve;
    });
    await queue.work('triage', async ({ messageId }) => {
      runs.set(messageId, (runs.get(messageId) ?? 0) + 1);
      if (messageId === 2 && runs.get(2) === 1) throw new Error('first attempt fails');
      if ([...runs.keys()].length === 30 && (runs.get(2) ?? 0) >= 2) finish();
    });
    for (let i = 1; i <= 30; i++) await queue.send('triage', { messageId: i });
    await allDone;
    await queue.stop();
    expect(runs.get(2)).toBe(2);
    expect([...runs.entries()].filter(([id, n]) => id !== 2 && n !== 1)).toEqual([]);
  }, 30_000);
});
