// Polls in the database: reading polls and their answers, and every change to them (create, edit a draft, open,
// close, answer, add the district to an answer), each through commitChange so it and its audit row commit together.
// The audit rows name the poll and the channel, never the respondent nor the option they chose.
import { sql } from 'kysely';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Actor, commitChange } from '../outbox/change.js';
import type { Database } from '../store/db.js';
import { type AnswerRow, type Channel, optionsOf, type PollInput, type PollRow, phaseOf, respondentKey } from './model.js';

const POLL_COLUMNS = ['id', 'question', 'options', 'status', 'ask_district', 'opens_at', 'closes_at', 'created_at', 'updated_at'] as const;
const RESIDENT: Actor = { type: 'resident', id: null };

export async function findPoll(db: Database, id: number): Promise<(PollRow & { created_at: Date; updated_at: Date }) | undefined> {
  return db.selectFrom('polls').select(POLL_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function getPoll(db: Database, id: number) {
  const p = await findPoll(db, id);
  if (!p) throw AppError.notFound('poll', String(id));
  return p;
}

/** Every poll, newest first, with its number of answers (the staff list). */
export async function listPolls(db: Database) {
  return db
    .selectFrom('polls as p')
    .select([...POLL_COLUMNS.map((c) => `p.${c}` as const)])
    .select((eb) => eb.selectFrom('poll_answers as a').select(sql<number>`count(*)::int`.as('n')).whereRef('a.poll_id', '=', 'p.id').as('answers'))
    .orderBy('p.id', 'desc')
    .execute();
}

/** Polls taking answers now (open, inside their window), oldest first: the order residents see them in. */
export async function openPolls(db: Database, now: Date): Promise<PollRow[]> {
  const rows = await db.selectFrom('polls').select(POLL_COLUMNS).where('status', '=', 'open').orderBy('id').execute();
  return rows.filter((p) => phaseOf(p, now) === 'open');
}

export async function answersOf(db: Database, pollId: number): Promise<AnswerRow[]> {
  return db.selectFrom('poll_answers').select(['option_id', 'district', 'channel']).where('poll_id', '=', pollId).orderBy('id').execute();
}

export async function answerOf(db: Database, pollId: number, key: string) {
  return db
    .selectFrom('poll_answers')
    .select(['option_id', 'district', 'answered_at'])
    .where('poll_id', '=', pollId)
    .where('respondent_key', '=', key)
    .executeTakeFirst();
}

const staffActor = (userId: number): Actor => ({ type: 'user', id: String(userId) });

export async function createPoll(ctx: Context, userId: number, input: PollInput): Promise<number> {
  return commitChange(ctx.db, staffActor(userId), async (change) => {
    const row = await change.tx
      .insertInto('polls')
      .values({
        question: JSON.stringify(input.question),
        options: JSON.stringify(optionsOf(input.options)),
        ask_district: input.ask_district,
        opens_at: input.opens_at ?? null,
        closes_at: input.closes_at ?? null,
        created_by: userId,
        updated_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    change.audit({ action: 'poll.create', entityType: 'poll', entityId: String(row.id) });
    return row.id;
  });
}

/** Only a draft changes its wording or options: answers already given were to the words they saw. */
export async function editPoll(ctx: Context, userId: number, id: number, input: PollInput): Promise<void> {
  await commitChange(ctx.db, staffActor(userId), async (change) => {
    const p = await change.tx.selectFrom('polls').select('status').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!p) throw AppError.notFound('poll', String(id));
    if (p.status !== 'draft') throw AppError.invalidTransition(`poll ${id} is ${p.status}: only a draft can be edited`);
    await change.tx
      .updateTable('polls')
      .set({
        question: JSON.stringify(input.question),
        options: JSON.stringify(optionsOf(input.options)),
        ask_district: input.ask_district,
        opens_at: input.opens_at ?? null,
        closes_at: input.closes_at ?? null,
        updated_at: ctx.now(),
      })
      .where('id', '=', id)
      .execute();
    change.audit({ action: 'poll.edit', entityType: 'poll', entityId: String(id) });
  });
}

/** Draft → open (from opens_at, or now); open → closed (now, or earlier if its window ended). Closed stays closed. */
export async function setPollStatus(ctx: Context, userId: number, id: number, to: 'open' | 'closed'): Promise<void> {
  const now = ctx.now();
  await commitChange(ctx.db, staffActor(userId), async (change) => {
    const p = await change.tx.selectFrom('polls').select(['status', 'opens_at', 'closes_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!p) throw AppError.notFound('poll', String(id));
    const allowed = to === 'open' ? p.status === 'draft' : p.status === 'open';
    if (!allowed) throw AppError.invalidTransition(`poll ${id} is ${p.status}: cannot ${to === 'open' ? 'open' : 'close'} it`);
    if (to === 'open' && p.closes_at && p.closes_at <= now) throw AppError.validation('its closing time has passed: set a later one first');
    const set =
      to === 'open'
        ? { status: 'open' as const, opens_at: p.opens_at ?? now }
        : { status: 'closed' as const, closes_at: p.closes_at && p.closes_at < now ? p.closes_at : now };
    await change.tx
      .updateTable('polls')
      .set({ ...set, updated_at: now })
      .where('id', '=', id)
      .execute();
    change.audit({ action: to === 'open' ? 'poll.open' : 'poll.close', entityType: 'poll', entityId: String(id) });
  });
}

export interface Answer {
  pollId: number;
  optionId: string;
  /** A district id, null for "rather not say"; undefined keeps what the respondent said before. */
  district?: string | null;
  channel: Channel;
  /** The Telegram user id, or the portal's respondent token. */
  respondent: string;
}

/**
 * One answer per respondent: a second answer to a poll still open replaces the first (they changed their mind);
 * the poll counts them once either way. A poll that is not open now refuses answers.
 */
export async function answerPoll(ctx: Context, a: Answer): Promise<{ replaced: boolean }> {
  const now = ctx.now();
  const key = respondentKey(a.channel, a.respondent);
  return commitChange(ctx.db, RESIDENT, async (change) => {
    const p = await change.tx
      .selectFrom('polls')
      .select(['status', 'opens_at', 'closes_at', 'options'])
      .where('id', '=', a.pollId)
      .executeTakeFirst();
    if (!p) throw AppError.notFound('poll', String(a.pollId));
    if (phaseOf(p, now) !== 'open') throw AppError.invalidTransition(`poll ${a.pollId} is not taking answers`);
    if (!p.options.some((o) => o.id === a.optionId)) throw AppError.validation(`unknown option: ${a.optionId}`);
    checkDistrict(ctx, a.district);
    const before = await change.tx
      .selectFrom('poll_answers')
      .select('id')
      .where('poll_id', '=', a.pollId)
      .where('respondent_key', '=', key)
      .forUpdate()
      .executeTakeFirst();
    if (before) {
      await change.tx
        .updateTable('poll_answers')
        .set((eb) => ({
          option_id: a.optionId,
          ...(a.district !== undefined ? { district: a.district } : {}),
          channel: a.channel,
          answered_at: now,
          changed: eb('changed', '+', 1),
        }))
        .where('id', '=', before.id)
        .execute();
    } else {
      await change.tx
        .insertInto('poll_answers')
        .values({ poll_id: a.pollId, option_id: a.optionId, respondent_key: key, channel: a.channel, district: a.district ?? null, answered_at: now })
        // Two answers at the same instant (a double click): the second waits here and changes the first.
        .onConflict((oc) => oc.columns(['poll_id', 'respondent_key']).doUpdateSet({ option_id: a.optionId, answered_at: now }))
        .execute();
    }
    change.audit({
      action: before ? 'poll.answer_changed' : 'poll.answer',
      entityType: 'poll',
      entityId: String(a.pollId),
      data: { channel: a.channel },
    });
    return { replaced: Boolean(before) };
  });
}

/** The district, asked after the option (the Telegram flow): added to the respondent's answer while the poll is open. */
export async function setAnswerDistrict(
  ctx: Context,
  pollId: number,
  channel: Channel,
  respondent: string,
  district: string | null,
): Promise<boolean> {
  checkDistrict(ctx, district);
  const now = ctx.now();
  return commitChange(ctx.db, RESIDENT, async (change) => {
    const p = await change.tx.selectFrom('polls').select(['status', 'opens_at', 'closes_at']).where('id', '=', pollId).executeTakeFirst();
    if (!p || phaseOf(p, now) !== 'open') return false;
    const r = await change.tx
      .updateTable('poll_answers')
      .set({ district })
      .where('poll_id', '=', pollId)
      .where('respondent_key', '=', respondentKey(channel, respondent))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

function checkDistrict(ctx: Context, district: string | null | undefined) {
  if (district && !ctx.city.city.districts.some((d) => d.id === district)) throw AppError.validation(`unknown district: ${district}`);
}
