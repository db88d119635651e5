// Learning from operators: what an operator sets or confirms becomes a labelled example, next to what the
// engine had predicted. Retraining reads these; the accuracy on recent labels tells how well triage does.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/db.js';
import type { DB } from '../store/schema.js';

export async function recordCategoryLabel(tx: Transaction<DB>, messageId: number, value: string, userId: number): Promise<void> {
  const t = await tx.selectFrom('message_triage').select(['category', 'engine']).where('message_id', '=', messageId).executeTakeFirst();
  await tx
    .insertInto('labels')
    .values({
      message_id: messageId,
      field: 'category',
      value,
      predicted: t?.category ?? null,
      engine: t?.engine ?? null,
      source: 'operator',
      user_id: userId,
    })
    // The latest word of an operator counts; what the engine said stays as it was.
    .onConflict((oc) => oc.columns(['message_id', 'field']).doUpdateSet({ value, user_id: userId, created_at: sql`now()` }))
    .execute();
}

export interface LabelAccuracy {
  field: string;
  labels: number;
  agreed: number;
  /** Share of the recent labels where the engine had already said what the operator said; null with no labels. */
  accuracy: number | null;
  corrected: { predicted: string | null; value: string; count: number }[];
}

export async function recentAccuracy(db: Database, field: 'category', last = 500): Promise<LabelAccuracy> {
  const rows = await db
    .selectFrom('labels')
    .select(['value', 'predicted'])
    .where('field', '=', field)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(last)
    .execute();
  const agreed = rows.filter((r) => r.predicted === r.value).length;
  const confusions = new Map<string, { predicted: string | null; value: string; count: number }>();
  for (const r of rows) {
    if (r.predicted === r.value) continue;
    const key = `${r.predicted}→${r.value}`;
    const c = confusions.get(key) ?? { predicted: r.predicted, value: r.value, count: 0 };
    c.count++;
    confusions.set(key, c);
  }
  return {
    field,
    labels: rows.length,
    agreed,
    accuracy: rows.length ? agreed / rows.length : null,
    corrected: [...confusions.values()].sort((a, b) => b.count - a.count).slice(0, 10),
  };
}
