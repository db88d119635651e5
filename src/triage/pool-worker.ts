// One thread of a TriagePool (pool.ts): builds the task once from the module and setup it was given, says it is
// ready, then answers each batch of items with the task's results (or the first error, by message). A module
// that exports `pack` sends each batch's results as it packs them (the pool then calls its `unpack`).
import { parentPort, workerData } from 'node:worker_threads';

export type MakeTask<S, I, O> = (setup: S) => ((item: I) => O) | Promise<(item: I) => O>;
/** A batch's results as one message: `data` is what `unpack` is given, `transfer` the buffers moved, not copied. */
export type Pack<O> = (results: O[]) => { data: unknown; transfer: ArrayBuffer[] };

const { module, setup } = workerData as { module: string; setup: unknown };
const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread');
const { makeTask, pack } = (await import(module)) as { makeTask: MakeTask<unknown, unknown, unknown>; pack?: Pack<unknown> };
const task = await makeTask(setup);

port.on('message', (b: { job: number; at: number; items: unknown[] }) => {
  try {
    const results = b.items.map((item) => task(item));
    if (!pack) port.postMessage({ job: b.job, at: b.at, results });
    else {
      const { data, transfer } = pack(results);
      port.postMessage({ job: b.job, at: b.at, results: data }, transfer);
    }
  } catch (err) {
    port.postMessage({ job: b.job, error: (err as Error).stack ?? String(err) });
  }
});
port.postMessage({ ready: true });
