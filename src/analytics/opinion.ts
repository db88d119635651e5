// Opinion questions in the store: creating one (then reading the message history in batches), reading new messages
// as they arrive (the sweep), the analyst's stance corrections (which retrain the question's model and re-read what
// the model read), and the figures: estimate, weekly trend, quotes, and the CSV export with small cells suppressed.

import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Actor, commitChange } from '../outbox/change.js';
import type { Sweep } from '../sla/ticker.js';
import { districtNamesOf } from './estimate.js';
import { examplesOf, type OpinionSummary, type QuestionSpec, type ReadMessage, summarise, titleOf, weekOf } from './opinion-run.js';
import { foldedWords, QuestionReader, type Stance, type StanceExample } from './stance.js';

/** Messages read per batch; a sweep reads at most BATCHES_PER_RUN batches per question, creating a question more. */
export const BATCH = 500;
const BATCHES_PER_RUN = 4;
const BATCHES_ON_CREATE = 40;
/** Fewer residents than this in a cell of an export: the cell is left empty ("<5"). */
export const MIN_CELL = 5;

export const populationOf = (ctx: Context) =>
  Object.fromEntries(ctx.city.city.districts.filter((d) => d.population).map((d) => [d.id, d.population as number]));

/** The question's model: the analyst's examples plus every stance the analyst corrected. */
async function readerFor(ctx: Context, questionId: number): Promise<QuestionReader> {
  const q = await ctx.db.selectFrom('opinion_questions').select(['keywords']).where('id', '=', questionId).executeTakeFirstOrThrow();
  const examples: StanceExample[] = await ctx.db
    .selectFrom('opinion_examples')
    .select(['stance', 'text'])
    .where('question_id', '=', questionId)
    .execute();
  const corrected = await ctx.db
    .selectFrom('opinion_matches as m')
    .innerJoin('messages as g', 'g.id', 'm.message_id')
    .select(['m.stance', 'g.text'])
    .where('m.question_id', '=', questionId)
    .where('m.source', '=', 'analyst')
    .execute();
  return QuestionReader.of(q.keywords, [...examples, ...corrected]);
}

export async function createQuestion(
  ctx: Context,
  actor: Actor,
  userId: number,
  spec: QuestionSpec,
): Promise<{ id: number; read: number; matched: number }> {
  const id = await commitChange(ctx.db, actor, async (change) => {
    const q = await change.tx
      .insertInto('opinion_questions')
      .values({
        title: JSON.stringify(titleOf(spec.title)),
        keywords: spec.keywords,
        channel_weights: spec.channel_weights ? JSON.stringify(spec.channel_weights) : null,
        created_by: userId,
        updated_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ex = examplesOf(spec);
    if (ex.length)
      await change.tx
        .insertInto('opinion_examples')
        .values(ex.map((e) => ({ question_id: q.id, ...e })))
        .execute();
    change.audit({ action: 'opinion.question_created', entityType: 'opinion_question', entityId: String(q.id), data: { keywords: spec.keywords } });
    return q.id;
  });
  const { read, matched } = await scanQuestion(ctx, id, BATCHES_ON_CREATE);
  return { id, read, matched };
}

/** Reads the messages after the question's cursor, a batch at a time; returns how many were read and matched. */
export async function scanQuestion(ctx: Context, questionId: number, maxBatches: number): Promise<{ read: number; matched: number }> {
  const reader = await readerFor(ctx, questionId);
  let read = 0;
  let matched = 0;
  for (let b = 0; b < maxBatches; b++) {
    const q = await ctx.db.selectFrom('opinion_questions').select(['scanned_to']).where('id', '=', questionId).executeTakeFirstOrThrow();
    const rows = await ctx.db
      .selectFrom('messages as g')
      .leftJoin('message_triage as t', 't.message_id', 'g.id')
      .select(['g.id', 'g.text', 't.sentiment'])
      .where('g.id', '>', q.scanned_to)
      .where('g.direction', '=', 'in')
      .orderBy('g.id')
      .limit(BATCH)
      .execute();
    if (!rows.length) break;
    const found = rows.flatMap((r) => {
      const got = reader.read(r.text);
      return got ? [{ message_id: r.id, sentiment: r.sentiment ?? null, stance: got.stance, score: got.score, confidence: got.confidence }] : [];
    });
    const last = rows[rows.length - 1]!.id;
    await ctx.db.transaction().execute(async (tx) => {
      if (found.length)
        await tx
          .insertInto('opinion_matches')
          .values(found.map((f) => ({ question_id: questionId, ...f, source: 'model' as const, updated_at: ctx.now() })))
          // A message read again (a retrain) keeps an analyst's stance.
          .onConflict((oc) =>
            oc
              .columns(['question_id', 'message_id'])
              .doUpdateSet((eb) => ({
                stance: eb.ref('excluded.stance'),
                score: eb.ref('excluded.score'),
                confidence: eb.ref('excluded.confidence'),
              }))
              .where('opinion_matches.source', '=', 'model'),
          )
          .execute();
      // The cursor only moves forward, so two sweeps racing over the same batch do no harm.
      await tx.updateTable('opinion_questions').set({ scanned_to: last }).where('id', '=', questionId).where('scanned_to', '<', last).execute();
    });
    read += rows.length;
    matched += found.length;
    if (rows.length < BATCH) break;
  }
  return { read, matched };
}

/** New messages for every active question: registered in src/sla/sweeps.ts. */
export const opinionSweep: Sweep = {
  name: 'opinion',
  async run(ctx) {
    const active = await ctx.db.selectFrom('opinion_questions').select('id').where('active', '=', true).execute();
    let matched = 0;
    for (const q of active) matched += (await scanQuestion(ctx, q.id, BATCHES_PER_RUN)).matched;
    return matched;
  },
};

/** The analyst sets a message's stance; the model retrains with it and re-reads the messages it had read. */
export async function correctStance(ctx: Context, actor: Actor, questionId: number, messageId: number, stance: Stance): Promise<{ changed: number }> {
  await commitChange(ctx.db, actor, async (change) => {
    const r = await change.tx
      .updateTable('opinion_matches')
      .set({ stance, source: 'analyst', confidence: 1, updated_at: ctx.now() })
      .where('question_id', '=', questionId)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (!r.numUpdatedRows) throw AppError.notFound('opinion match', `${questionId}/${messageId}`);
    change.audit({
      action: 'opinion.stance_corrected',
      entityType: 'opinion_question',
      entityId: String(questionId),
      data: { message_id: messageId, stance },
    });
  });
  const reader = await readerFor(ctx, questionId);
  const rows = await ctx.db
    .selectFrom('opinion_matches as m')
    .innerJoin('messages as g', 'g.id', 'm.message_id')
    .select(['m.message_id', 'm.stance', 'g.text'])
    .where('m.question_id', '=', questionId)
    .where('m.source', '=', 'model')
    .execute();
  let changed = 0;
  for (const r of rows) {
    const got = reader.model.classify(foldedWords(r.text));
    if (got.stance === r.stance) continue;
    changed++;
    await ctx.db
      .updateTable('opinion_matches')
      .set({ stance: got.stance, confidence: got.confidence, updated_at: ctx.now() })
      .where('question_id', '=', questionId)
      .where('message_id', '=', r.message_id)
      .where('source', '=', 'model')
      .execute();
  }
  return { changed };
}

export async function getQuestion(ctx: Context, id: number) {
  const q = await ctx.db.selectFrom('opinion_questions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!q) throw AppError.notFound('opinion question', String(id));
  const examples = await ctx.db.selectFrom('opinion_examples').select(['stance', 'text']).where('question_id', '=', id).orderBy('id').execute();
  return { ...q, examples };
}

export async function listQuestions(ctx: Context) {
  return ctx.db
    .selectFrom('opinion_questions as q')
    .select((eb) => [
      'q.id',
      'q.title',
      'q.keywords',
      'q.active',
      'q.created_at',
      eb.selectFrom('opinion_matches as m').whereRef('m.question_id', '=', 'q.id').select(eb.fn.countAll<number>().as('n')).as('matches'),
    ])
    .orderBy('q.id', 'desc')
    .execute();
}

async function readMessages(ctx: Context, id: number): Promise<(ReadMessage & { source: string })[]> {
  const rows = await ctx.db
    .selectFrom('opinion_matches as m')
    .innerJoin('messages as g', 'g.id', 'm.message_id')
    .leftJoin('message_triage as t', 't.message_id', 'g.id')
    .select([
      'm.message_id',
      'm.stance',
      'm.source',
      'm.sentiment',
      'm.score',
      'm.confidence',
      'g.text',
      'g.channel',
      'g.received_at',
      'g.resident_id',
      't.district',
    ])
    .where('m.question_id', '=', id)
    .execute();
  return rows.map((r) => ({
    id: r.message_id,
    text: r.text,
    district: r.district ?? null,
    channel: r.channel,
    time: new Date(r.received_at),
    stance: r.stance,
    sentiment: r.sentiment,
    score: Number(r.score),
    confidence: Number(r.confidence),
    resident: r.resident_id === null ? null : String(r.resident_id),
    source: r.source,
  }));
}

export async function opinionOf(ctx: Context, id: number): Promise<OpinionSummary & { corrected: number }> {
  const q = await getQuestion(ctx, id);
  const rows = await readMessages(ctx, id);
  const summary = summarise(rows, {
    districtPopulation: populationOf(ctx),
    districtNames: districtNamesOf(ctx.city.city.districts),
    offsetMinutes: ctx.city.city.utc_offset_minutes,
    ...(q.channel_weights ? { channelWeights: q.channel_weights } : {}),
  });
  return { ...summary, corrected: rows.filter((r) => r.source === 'analyst').length };
}

const csvCell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Aggregates only, never text or identities: the estimate, then residents per district × stance and week × stance,
 * each cell left empty with "<5" when fewer than MIN_CELL residents are in it. */
export async function exportCsv(ctx: Context, id: number): Promise<string> {
  const rows = await readMessages(ctx, id);
  const { estimate } = await opinionOf(ctx, id);
  const lines = ['section,group,stance,residents,raw_share,raw_ci_low,raw_ci_high,weighted_share,weighted_ci_low,weighted_ci_high,n_eff'];
  const people = (rs: ReadMessage[]) => new Set(rs.map((r) => r.resident ?? `m${r.id}`)).size;
  const everyone = people(rows);
  for (const [stance, a] of Object.entries(estimate.answers)) {
    const n = people(rows.filter((r) => r.stance === stance));
    const hide = n < MIN_CELL || everyone < MIN_CELL;
    const f = (x: number) => (hide ? '' : x);
    lines.push(
      [
        'estimate',
        'city',
        stance,
        hide ? '<5' : n,
        f(a.raw.share),
        f(a.raw.ci[0]),
        f(a.raw.ci[1]),
        f(a.weighted.share),
        f(a.weighted.ci[0]),
        f(a.weighted.ci[1]),
        f(estimate.effective_n),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  const cells = (section: string, key: (r: ReadMessage) => string) => {
    const groups = [...new Set(rows.map(key))].sort();
    for (const g of groups)
      for (const stance of Object.keys(estimate.answers)) {
        const n = people(rows.filter((r) => key(r) === g && r.stance === stance));
        lines.push([section, g, stance, n < MIN_CELL ? '<5' : n, '', '', '', '', '', '', ''].map(csvCell).join(','));
      }
  };
  cells('district', (r) => r.district ?? 'unknown');
  cells('week', (r) => weekOf(r.time, ctx.city.city.utc_offset_minutes));
  return `${lines.join('\n')}\n`;
}
