// The learnt category models in the database: every worker process reads the active one from here, so a model
// trained by one process is used by all. Older models stay listed, with their metrics, and can be re-activated.
import { Worker } from 'node:worker_threads';
import type { Change } from '../../outbox/change.js';
import type { Database } from '../../store/db.js';
import type { ActiveModel } from '../learned.js';
import { decodeModel } from '../model/io.js';
import type { ModelInfo } from '../model/softmax.js';
import type { Example } from '../model/train.js';

export interface ModelSummary {
  id: number;
  created_at: Date;
  examples: number;
  sources: Record<string, unknown>;
  classes: Record<string, number>;
  metrics: Record<string, unknown> | null;
  train_seconds: number;
  active: boolean;
  activated_at: Date | null;
  reason: string;
  bytes: number;
}

const SUMMARY = ['id', 'created_at', 'examples', 'sources', 'classes', 'metrics', 'train_seconds', 'active', 'activated_at', 'reason'] as const;

export async function listModels(db: Database, limit = 20): Promise<ModelSummary[]> {
  const rows = await db
    .selectFrom('triage_models')
    .select([...SUMMARY])
    .select((eb) => eb.fn<number>('octet_length', ['model']).as('bytes'))
    .where('purpose', '=', 'category')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}

export async function activeModelId(db: Database): Promise<number | null> {
  const row = await db.selectFrom('triage_models').select('id').where('purpose', '=', 'category').where('active', '=', true).executeTakeFirst();
  return row?.id ?? null;
}

export async function loadStoredModel(db: Database, id: number): Promise<ActiveModel> {
  const row = await db.selectFrom('triage_models').select(['id', 'model']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id: row.id, model: decodeModel(Buffer.from(row.model), `model ${row.id}`) };
}

/** Makes one model the active one (and no other), in the caller's change so it is audited; false when there is no such model. */
export async function activateModel(change: Change, id: number, why: string): Promise<boolean> {
  const { tx } = change;
  const found = await tx.selectFrom('triage_models').select(['id', 'metrics']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!found) return false;
  await tx.updateTable('triage_models').set({ active: false }).where('purpose', '=', 'category').where('active', '=', true).execute();
  await tx.updateTable('triage_models').set({ active: true, activated_at: new Date() }).where('id', '=', id).execute();
  change.audit({
    action: 'triage_model.activate',
    entityType: 'triage_model',
    entityId: String(id),
    data: { why, macro_f1: found.metrics?.macro_f1 ?? null },
  });
  return true;
}

export interface Trained {
  bytes: Buffer;
  info: ModelInfo;
}

// The worker is started from source through tsx, like the rest of Qala (no build step).
const tsxApi = import.meta.resolve('tsx/esm/api');
const workerUrl = new URL('./train-worker.ts', import.meta.url).href;

/** Trains in a worker thread, so the process goes on serving while the CPU learns. */
export function trainInWorker(examples: readonly Example[], seed = 1): Promise<Trained> {
  return new Promise((resolve, reject) => {
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { examples, seed } });
    worker.once('message', (m: { ok: true; bytes: Uint8Array; info: ModelInfo } | { ok: false; error: string }) => {
      if (m.ok) resolve({ bytes: Buffer.from(m.bytes), info: m.info });
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`training worker exited with code ${code}`)));
  });
}
