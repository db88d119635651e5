// Runs in a worker thread: training takes seconds of CPU, and intake and the API must not wait for it.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeModel } from '../model/io.js';
import { type Example, trainModel } from '../model/train.js';

const { examples, seed } = workerData as { examples: Example[]; seed: number };
try {
  const model = trainModel(examples, { seed });
  parentPort?.postMessage({ ok: true, bytes: encodeModel(model), info: model.info });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: (err as Error).message });
}
