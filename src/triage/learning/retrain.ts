// Retraining the category model in the background: a queued job (at most one waiting), the CPU work in a worker
// thread, the result stored with its held-out metrics and made active only if it is good enough.
import { performance } from 'node:perf_hooks';
import type { Context } from '../../context.js';
import { commitChange } from '../../outbox/change.js';
import { labelsSince, trainingSet } from './examples.js';
import { activateModel, trainInWorker } from './models.js';

export interface RetrainOutcome {
  status: 'trained' | 'skipped';
  why: string;
  modelId?: number;
  activated?: boolean;
  examples: number;
  macroF1?: number | null;
}

type Needs = Pick<Context, 'db' | 'city' | 'log'>;

const cityCategories = (ctx: Pick<Context, 'city'>) => new Set(ctx.city.categories.map((c) => c.code));

export async function retrain(ctx: Needs, reason: string): Promise<RetrainOutcome> {
  const cfg = ctx.city.triage.model;
  const set = await trainingSet(ctx.db, cityCategories(ctx));
  const classes: Record<string, number> = {};
  for (const e of set.examples) classes[e.label] = (classes[e.label] ?? 0) + 1;
  const n = set.examples.length;
  if (n < cfg.min_examples) return { status: 'skipped', why: `${n} labelled examples; a model needs at least ${cfg.min_examples}`, examples: n };
  if (Object.keys(classes).length < 2) return { status: 'skipped', why: 'all labelled examples have the same category', examples: n };

  const t0 = performance.now();
  const trained = await trainInWorker(set.examples);
  const h = trained.info.heldOut;
  const metrics = h
    ? {
        held_out: h.report.n,
        accuracy: h.report.accuracy,
        macro_f1: h.report.macroF1,
        calibration_error: h.ece,
        per_class: h.report.classes.map((c) => ({ label: c.label, support: c.support, f1: c.f1 })),
        confusions: h.report.confusions,
      }
    : null;
  const row = await ctx.db
    .insertInto('triage_models')
    .values({
      purpose: 'category',
      examples: n,
      sources: JSON.stringify(set.sources),
      classes: JSON.stringify(classes),
      metrics: metrics ? JSON.stringify(metrics) : null,
      train_seconds: (performance.now() - t0) / 1000,
      model: trained.bytes,
      reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const macroF1 = metrics?.macro_f1 ?? null;
  const good = macroF1 !== null && macroF1 >= cfg.min_macro_f1;
  if (good) await commitChange(ctx.db, { type: 'system', id: 'retrain' }, (change) => activateModel(change, row.id, reason));
  const why = good
    ? `held-out macro-F1 ${macroF1.toFixed(3)} ≥ ${cfg.min_macro_f1}: active`
    : macroF1 === null
      ? 'too few examples to hold any out: kept inactive'
      : `held-out macro-F1 ${macroF1.toFixed(3)} < ${cfg.min_macro_f1}: kept inactive`;
  ctx.log.info({ model: row.id, examples: n, macroF1, activated: good, reason }, 'triage model trained');
  return { status: 'trained', why, modelId: row.id, activated: good, examples: n, macroF1 };
}

/** After operators label: once enough new labels have come in since the newest model, queue a retrain. */
export async function retrainIfDue(ctx: Pick<Context, 'db' | 'city' | 'queue'>): Promise<boolean> {
  const latest = await ctx.db
    .selectFrom('triage_models')
    .select('sources')
    .where('purpose', '=', 'category')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const last = (latest?.sources.lastLabelId as number | null | undefined) ?? null;
  const fresh = await labelsSince(ctx.db, last);
  if (fresh < ctx.city.triage.model.retrain_after_labels) return false;
  await ctx.queue.send('retrain', { reason: `${fresh} new operator labels` });
  return true;
}
