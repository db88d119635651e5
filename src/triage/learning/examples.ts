// Where the category model's examples come from: what operators set or confirmed on real tickets (labels), and a
// labelled history the city imports (training_examples). Only the city's current category codes are learnt.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../store/db.js';
import type { Example } from '../model/train.js';

export interface ImportResult {
  batch: string;
  read: number;
  added: number;
  /** Already imported (same text, same label). */
  repeated: number;
  /** Labels that are not one of the city's category codes: kept, but not learnt until such a category exists. */
  unknownLabels: Record<string, number>;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

export async function importHistory(
  db: Database,
  rows: readonly { text: string; label: string }[],
  o: { batch: string; categories: ReadonlySet<string> },
): Promise<ImportResult> {
  const unknownLabels: Record<string, number> = {};
  let added = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows
      .slice(i, i + 500)
      .map((r) => ({ field: 'category' as const, text: r.text, label: r.label, batch: o.batch, text_hash: hashOf(r.text) }));
    const res = await db
      .insertInto('training_examples')
      .values(chunk)
      .onConflict((oc) => oc.columns(['field', 'text_hash', 'label']).doNothing())
      .executeTakeFirst();
    added += Number(res.numInsertedOrUpdatedRows ?? 0n);
  }
  for (const r of rows) if (!o.categories.has(r.label)) unknownLabels[r.label] = (unknownLabels[r.label] ?? 0) + 1;
  return { batch: o.batch, read: rows.length, added, repeated: rows.length - added, unknownLabels };
}

export interface TrainingSet {
  examples: Example[];
  sources: { operator: number; imported: number; lastLabelId: number | null };
}

/** Every example to learn from; an operator's label on a message wins over nothing, history adds to it. */
export async function trainingSet(db: Database, categories: ReadonlySet<string>): Promise<TrainingSet> {
  const labelled = await db
    .selectFrom('labels')
    .innerJoin('messages', 'messages.id', 'labels.message_id')
    .select(['labels.id', 'labels.value', 'messages.text'])
    .where('labels.field', '=', 'category')
    .orderBy('labels.id')
    .execute();
  const imported = await db.selectFrom('training_examples').select(['text', 'label']).where('field', '=', 'category').orderBy('id').execute();
  const examples: Example[] = [];
  let operator = 0;
  for (const l of labelled)
    if (categories.has(l.value) && l.text.trim()) {
      examples.push({ text: l.text, label: l.value });
      operator++;
    }
  let fromHistory = 0;
  for (const e of imported)
    if (categories.has(e.label) && e.text.trim()) {
      examples.push({ text: e.text, label: e.label });
      fromHistory++;
    }
  return { examples, sources: { operator, imported: fromHistory, lastLabelId: labelled.at(-1)?.id ?? null } };
}

/** Operator labels recorded after the given label id (all of them with null). */
export async function labelsSince(db: Database, lastLabelId: number | null): Promise<number> {
  const row = await db
    .selectFrom('labels')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('field', '=', 'category')
    .where('id', '>', lastLabelId ?? 0)
    .executeTakeFirstOrThrow();
  return row.n;
}
