// A task for pool.test.ts: small enough to check the pool itself (order, errors, packing), not the triage.
import type { Pack } from './pool-worker.js';

export interface FixtureSetup {
  factor: number;
}

/** Multiplies each number by the setup's factor, with the worker's thread id; fails on a negative number. */
export async function makeTask(s: FixtureSetup): Promise<(x: number) => [number, number]> {
  if (!Number.isFinite(s.factor)) throw new Error(`factor must be a number, not ${s.factor}`);
  const { threadId } = await import('node:worker_threads');
  return (x) => {
    if (x < 0) throw new Error(`negative input ${x}`);
    return [x * s.factor, threadId];
  };
}

// Results travel as one transferred buffer of pairs.
export const pack: Pack<[number, number]> = (results) => {
  const flat = Float64Array.from(results.flat());
  return { data: flat, transfer: [flat.buffer] };
};

export function unpack(flat: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as number, flat[i + 1] as number]);
  return out;
}
