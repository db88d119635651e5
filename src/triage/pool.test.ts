// The pool of triage threads: results in input order whatever thread did them, the work shared between threads,
// a failing item failing its run with the task's message, and a closed pool refusing work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriagePool } from './pool.js';
import type { FixtureSetup } from './pool-fixture.js';

const module = new URL('./pool-fixture.ts', import.meta.url).href;
let pool: TriagePool<number, [number, number]>;
beforeAll(async () => {
  pool = await TriagePool.start<FixtureSetup, number, [number, number]>({ module, setup: { factor: 3 }, threads: 2, batch: 16 });
}, 60_000);
afterAll(() => pool.close());

describe('TriagePool', () => {
  it('gives every result in input order, the work shared by both threads', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const out = await pool.run(items);
    expect(out.map((r) => r[0])).toEqual(items.map((i) => i * 3));
    expect(new Set(out.map((r) => r[1])).size).toBe(2);
    expect(pool.threads).toBe(2);
  });

  it('runs jobs side by side, each with its own results', async () => {
    const [a, b, empty] = await Promise.all([
      pool.run([1, 2, 3]),
      pool.run(Array.from({ length: 200 }, (_, i) => -i - 1).map((x) => -x)),
      pool.run([]),
    ]);
    expect(a.map((r) => r[0])).toEqual([3, 6, 9]);
    expect(b.map((r) => r[0])).toEqual(Array.from({ length: 200 }, (_, i) => 3 * (i + 1)));
    expect(empty).toEqual([]);
  });

  it('fails a run whose item fails, with the task’s message, and goes on serving', async () => {
    await expect(pool.run([1, 2, -5, 4])).rejects.toThrow(/negative input -5/);
    expect((await pool.run([7])).map((r) => r[0])).toEqual([21]);
  });

  it('says so when the task cannot start, and refuses work once closed', async () => {
    await expect(TriagePool.start({ module: new URL('./no-such-task.ts', import.meta.url).href, setup: {}, threads: 1 })).rejects.toThrow(
      /no-such-task|Cannot find/,
    );
    await expect(TriagePool.start({ module, setup: { factor: Number.NaN }, threads: 2 })).rejects.toThrow(/factor must be a number, not NaN/);
    const closing = await TriagePool.start<FixtureSetup, number, [number, number]>({ module, setup: { factor: 1 }, threads: 1 });
    await closing.close();
    await expect(closing.run([1])).rejects.toThrow(/closed/);
  });
});
