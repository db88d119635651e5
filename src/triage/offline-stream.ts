// `qala triage` over a whole file: lines in, JSON lines out in the same order, on this thread for a short file
// and also on a pool of worker threads (pool.ts) for a long one. Reading, finding repeats and writing stay on
// this thread; the workers do the per-line triage (offline.ts), a few chunks ahead of the writing.
import { type TriageCity, triageCity } from './create.js';
import type { Model } from './model/softmax.js';
import { type OfflineParts, type OfflineSetup, offlineJoiner, offlineParts } from './offline.js';
import { TriagePool } from './pool.js';

export interface OfflineLine {
  id: unknown;
  text: string;
}

/**
 * Lines triaged on this thread before any worker is used. A worker takes a second or two of processor time to
 * start (it compiles the sources and builds the engine and the model), about what 20,000 lines cost: a shorter
 * file is done sooner alone, and a longer one starts here while the workers start beside it.
 */
export const ALONE = 20_000;
/** Lines handed to a worker at once, and how many such chunks may be under way before the oldest is written. */
const CHUNK = 2000;
const AHEAD = 3;
/** Lines written at once on this thread. */
const BLOCK = 1000;

export interface StreamOptions {
  city: TriageCity;
  model: Model;
  /** The model file's bytes and name, for the worker threads. */
  modelBytes: Uint8Array;
  modelName: string;
  /** 1: this thread alone. More: that many worker threads once the input is longer than `alone` lines. */
  threads: number;
  /** Default ALONE. */
  alone?: number;
}

/** Triages a stream of lines and hands `emit` their JSON lines in blocks, in input order; returns how many. */
export async function triageStream(
  lines: AsyncIterable<OfflineLine>,
  o: StreamOptions,
  emit: (block: string) => Promise<void> | void,
): Promise<number> {
  const iterator = lines[Symbol.asyncIterator]();
  const first: OfflineLine[] = [];
  const alone = o.alone ?? ALONE;
  let next = await iterator.next();
  for (; !next.done && first.length < alone; next = await iterator.next()) first.push(next.value);
  const join = offlineJoiner();
  const parts = offlineParts(o.city, o.model);
  let n = 0;
  let block: string[] = [];
  const here = async (line: OfflineLine) => {
    block.push(join(line.id, parts(line.text)));
    if (++n % BLOCK === 0) {
      await emit(`${block.join('\n')}\n`);
      block = [];
    }
  };
  const flush = async () => {
    if (block.length) await emit(`${block.join('\n')}\n`);
    block = [];
  };

  if (next.done || o.threads <= 1) {
    for (const line of first) await here(line);
    for (; !next.done; next = await iterator.next()) await here(next.value);
    await flush();
    return n;
  }

  const setup: OfflineSetup = { city: triageCity(o.city), model: o.modelBytes, name: o.modelName };
  const starting = TriagePool.start<OfflineSetup, string, OfflineParts>({
    module: new URL('./offline.ts', import.meta.url).href,
    setup,
    threads: o.threads,
  });
  starting.catch(() => {}); // awaited below; until then a failure must not count as unhandled
  for (const line of first) await here(line);
  await flush();
  const pool = await starting;
  try {
    const under: { lines: OfflineLine[]; parts: Promise<OfflineParts[]> }[] = [];
    const writeOldest = async () => {
      const c = under.shift() as (typeof under)[number];
      const done = await c.parts;
      await emit(`${c.lines.map((line, i) => join(line.id, done[i] as OfflineParts)).join('\n')}\n`);
      n += c.lines.length;
    };
    while (!next.done) {
      const chunk: OfflineLine[] = [];
      for (; !next.done && chunk.length < CHUNK; next = await iterator.next()) chunk.push(next.value);
      const done = pool.run(chunk.map((l) => l.text));
      // A failed chunk is awaited when its turn to be written comes; until then it is not "unhandled".
      done.catch(() => {});
      under.push({ lines: chunk, parts: done });
      if (under.length >= AHEAD) await writeOldest();
    }
    while (under.length) await writeOldest();
    return n;
  } finally {
    await pool.close();
  }
}
