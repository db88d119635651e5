// Batch triage on every core of one process: worker threads that each build the same per-item function (the
// city's engine, a model) once, then take batches of items from a shared queue. Results come back in input
// order, so a pooled run writes what a single-thread run writes. Used by `qala triage` and the benchmark; the
// centre's intake triages one message at a time and does not need it.
//
// What an item costs to send decides the design: a triage result cloned as an object costs about a third of the
// triage itself to send and receive. So items travel in batches (one message per batch), and a
// task module may `pack` a batch's results into one string and one transferred buffer, which the pool `unpack`s
// here with the same module (see pool-worker.ts).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface PoolOptions<S> {
  /** URL of a module whose `makeTask(setup)` gives the per-item function (see pool-worker.ts). */
  module: string;
  /** Handed to `makeTask` in every worker (structured-cloned: plain data, typed arrays, Buffers). */
  setup: S;
  /** Worker threads; default: one per core, at most 8. */
  threads?: number;
  /** Items per message; default 64. */
  batch?: number;
}

interface Pending<O> {
  out: O[];
  left: number;
  resolve: (results: O[]) => void;
  reject: (err: Error) => void;
}

interface Batch<I> {
  job: number;
  at: number;
  items: I[];
}

type Reply<O> = { ready: true } | { job: number; at: number; results: O[] | unknown } | { job: number; error: string };

// Workers run the TypeScript sources through tsx, like the rest of Qala (no build step).
const tsxApi = import.meta.resolve('tsx/esm/api');
const workerUrl = new URL('./pool-worker.ts', import.meta.url).href;

/** Threads for a batch job: one per core the process may use, at most 8 (each holds its own engine and model,
 * 100–200 MB with a large model). */
export const defaultThreads = (): number => Math.max(1, Math.min(8, availableParallelism()));

export class TriagePool<I, O> {
  private readonly queue: Batch<I>[] = [];
  private readonly jobs = new Map<number, Pending<O>>();
  private readonly idle: Worker[] = [];
  private nextJob = 0;
  private failed: Error | null = null;

  private constructor(
    private readonly workers: Worker[],
    private readonly batch: number,
    private readonly unpack: ((packed: unknown) => O[]) | undefined,
  ) {}

  /** Starts the workers and waits until each has built its task, so the first batch is not slowed by start-up. */
  static async start<S, I, O>(o: PoolOptions<S>): Promise<TriagePool<I, O>> {
    const threads = Math.max(1, Math.floor(o.threads ?? defaultThreads()));
    // The module's `unpack` runs here; importing it first also finds a wrong module before any thread starts.
    const { unpack } = (await import(o.module)) as { unpack?: (packed: unknown) => O[] };
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })`;
    const workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true, workerData: { module: o.module, setup: o.setup } }));
    const pool = new TriagePool<I, O>(workers, Math.max(1, o.batch ?? 64), unpack);
    try {
      await Promise.all(workers.map((w) => pool.attach(w)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get threads(): number {
    return this.workers.length;
  }

  /** The task's result for every item, in the items' order. */
  run(items: readonly I[]): Promise<O[]> {
    if (this.failed) return Promise.reject(this.failed);
    if (items.length === 0) return Promise.resolve([]);
    const job = this.nextJob++;
    const done = new Promise<O[]>((resolve, reject) => {
      this.jobs.set(job, { out: new Array<O>(items.length), left: items.length, resolve, reject });
    });
    // Small jobs are cut finer, so every thread gets a share of them.
    const size = Math.max(1, Math.min(this.batch, Math.ceil(items.length / (2 * this.workers.length))));
    for (let at = 0; at < items.length; at += size) this.queue.push({ job, at, items: items.slice(at, at + size) });
    this.dispatch();
    return done;
  }

  async close(): Promise<void> {
    this.fail(new Error('the triage pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private attach(w: Worker): Promise<void> {
    return new Promise((ready, failedToStart) => {
      let started = false;
      w.on('message', (m: Reply<O>) => {
        if ('ready' in m) {
          started = true;
          // Two batches per worker: the next one is already there when a worker posts its results.
          this.idle.push(w, w);
          ready();
          return;
        }
        const pending = this.jobs.get(m.job);
        if ('error' in m) {
          this.jobs.delete(m.job);
          pending?.reject(new Error(m.error));
        } else if (pending) {
          const results = this.unpack ? this.unpack(m.results) : (m.results as O[]);
          for (let i = 0; i < results.length; i++) pending.out[m.at + i] = results[i] as O;
          pending.left -= results.length;
          if (pending.left === 0) {
            this.jobs.delete(m.job);
            pending.resolve(pending.out);
          }
        }
        this.idle.push(w);
        this.dispatch();
      });
      w.once('error', (err) => (started ? this.fail(err) : failedToStart(err)));
      w.once('exit', (code) => {
        if (!started) failedToStart(new Error(`a triage worker exited with code ${code} before it was ready`));
        else if (!this.failed) this.fail(new Error(`a triage worker exited with code ${code}`));
      });
    });
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const b = this.queue.shift() as Batch<I>;
      if (!this.jobs.has(b.job)) continue; // its job failed already
      (this.idle.pop() as Worker).postMessage(b);
    }
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const p of this.jobs.values()) p.reject(err);
    this.jobs.clear();
    this.queue.length = 0;
  }
}
