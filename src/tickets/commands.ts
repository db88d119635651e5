// Ticket commands: open a ticket for a message, and move a ticket through its lifecycle. Each is one
// commitChange: the ticket row, its audit row, the message to the resident and the notices to the executors
// of the organisation it is assigned to commit together.
import { sql } from 'kysely';
import { recount } from '../analytics/rollup.js';
import { can, type StaffUser } from '../auth/policies.js';
import type { Language, Urgency } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { FINISHED, followAfter } from '../incidents/follow.js';
import { groupOnOpen } from '../incidents/membership.js';
import { type Change, commitChange } from '../outbox/change.js';
import { categoryName, hasTemplate, humanDeadline, orgName } from '../outbox/templates.js';
import { localDate } from '../sla/calendar.js';
import { deadlines } from '../sla/deadlines.js';
import { recordCategoryLabel } from '../triage/labels.js';
import { retrainIfDue } from '../triage/learning/retrain.js';
import { afterPauses, pauseClock, resumeClock } from './clock.js';
import { clockEffect, isTicketStatus, NEEDS_QUESTION, NEEDS_REASON, type TicketAction, type TicketStatus, transition } from './lifecycle.js';
import { checkPhotos, type PhotoInput, proofRequired, writeNote } from './notes.js';
import { notifyAnswered, notifyAssignment } from './notify-staff.js';
import { nextTicketNumber } from './numbers.js';
import { notifyResident, residentTemplate, residentVars } from './tell-resident.js';

export interface OpenTicketInput {
  messageId: number;
  channel: string;
  residentId: number | null;
  receivedAt: Date;
  category: string | null;
  district: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  urgency: Urgency;
  language: Language;
  organisation: string;
  routed: boolean;
  trace: unknown[];
}

export async function openTicket(ctx: Context, input: OpenTicketInput): Promise<void> {
  const { city } = ctx;
  await commitChange(ctx.db, { type: 'system', id: 'routing' }, async (change) => {
    const { tx } = change;
    // Idempotent: the message is claimed by moving it to "done"; a replay finds nothing to claim.
    const claimed = await tx
      .updateTable('messages')
      .set({ stage: 'done' })
      .where('id', '=', input.messageId)
      .where('stage', '=', 'triaged')
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) return;
    const year = Number(localDate(city.calendar, input.receivedAt).slice(0, 4));
    const number = await nextTicketNumber(tx, city.city.ticket_prefix, year);
    const due = deadlines(city.calendar, city.sla.targets, input.category, input.urgency, input.receivedAt);
    const status: TicketStatus = input.routed ? 'assigned' : 'new';
    const ticket = await tx
      .insertInto('tickets')
      .values({
        number,
        status,
        category: input.category,
        organisation_id: input.organisation,
        district: input.district,
        address: input.address,
        lat: input.lat,
        lon: input.lon,
        urgency: input.urgency,
        language: input.language,
        channel: input.channel,
        source_message_id: input.messageId,
        resident_id: input.residentId,
        routing_trace: JSON.stringify(input.trace),
        first_response_due: due.firstResponseDue,
        resolution_due: due.resolutionDue,
        assigned_at: input.routed ? ctx.now() : null, // when it reached the organisation (a backlog routed late starts now)
        created_at: input.receivedAt,
        updated_at: new Date(),
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await tx.insertInto('ticket_messages').values({ ticket_id: ticket.id, message_id: input.messageId }).execute();
    change.audit({
      action: 'ticket.opened',
      entityType: 'ticket',
      entityId: number,
      data: { status, organisation: input.organisation, category: input.category, routed: input.routed, message_id: input.messageId },
    });
    const lang = input.language;
    notifyResident(
      change,
      ctx,
      { id: ticket.id, number, channel: input.channel, resident_id: input.residentId },
      input.routed ? 'acknowledgement' : 'acknowledgement.pending',
      lang,
      {
        number,
        category: categoryName(city, input.category, lang),
        organisation: orgName(city, input.organisation, lang),
        deadline: humanDeadline(city, due.resolutionDue),
      },
      1,
    );
    if (input.routed) {
      await notifyAssignment(change, ctx, {
        id: ticket.id,
        number,
        version: ticket.version,
        category: input.category,
        organisation_id: input.organisation,
        address: input.address,
        urgency: input.urgency,
        resolution_due: due.resolutionDue,
      });
    }
    // Many reports of one problem become one incident (incidents/membership.ts), in this same change.
    await groupOnOpen(change, ctx, ticket.id);
  });
}

export interface ActInput {
  action: TicketAction;
  reason?: string | undefined;
  organisation?: string | undefined;
  /** With assign: the operator's correction of the category; the deadlines follow it. */
  category?: string | undefined;
  /** With ask: the question put to the resident. */
  question?: string | undefined;
  /** With resolve: what was done, told to the resident (`reason` is accepted in its place). */
  note?: string | undefined;
  /** With resolve: photos proving the fix (required from executors when the city says so). */
  proof?: PhotoInput[] | undefined;
  /** The version the user saw: a stale one is refused instead of silently overwriting someone else's change. */
  version?: number | undefined;
}

export async function actOnTicket(ctx: Context, user: StaffUser, number: string, input: ActInput) {
  const updated = await commitChange(ctx.db, { type: 'user', id: String(user.id) }, (change) => applyAction(change, ctx, user, number, input));
  await afterAction(ctx, updated, input.action);
  return updated;
}

/** What follows an action once it is committed, outside its transaction. */
export async function afterAction(ctx: Context, updated: { status: string; incident_id: string | null }, action: TicketAction) {
  // The last open ticket of an incident rejected or merged as a duplicate: the incident closes (incidents/follow.ts).
  if (FINISHED.has(updated.status)) await followAfter(ctx, updated.incident_id);
  if (action === 'assign') {
    // Learning must never fail the operator's action: a retrain that cannot be queued now is asked for again later.
    await retrainIfDue(ctx).catch((err) => ctx.log.error({ err }, 'could not queue a triage retrain'));
  }
}

const text = (s: string | undefined) => (s?.trim() ? s.trim().slice(0, 2000) : undefined);

/** One action on a ticket inside `change` (so a caller can add to the same transaction); actOnTicket commits it alone. */
export async function applyAction(change: Change, ctx: Context, user: StaffUser, number: string, input: ActInput) {
  const reason = text(input.action === 'resolve' ? (input.note ?? input.reason) : input.reason);
  const question = text(input.question);
  if (input.question !== undefined && input.action !== 'ask') throw AppError.validation('a question goes with ask');
  if ((input.proof?.length || input.note !== undefined) && input.action !== 'resolve') throw AppError.validation('a note and proof go with resolve');
  const proof = checkPhotos(input.proof ?? []);
  const { tx } = change;
  const t = await tx.selectFrom('tickets').selectAll().where('number', '=', number).forUpdate().executeTakeFirst();
  if (!t) throw AppError.notFound('ticket', number);
  if (!can(user, input.action, t)) throw AppError.forbidden(`${input.action} on ticket ${number}`);
  if (input.version !== undefined && input.version !== t.version)
    throw AppError.conflict(`ticket ${number} was changed by someone else (version ${t.version})`);
  if (!isTicketStatus(t.status)) throw new Error(`ticket ${number} has unknown status ${t.status}`);
  const next = transition(t.status, input.action);
  if (!next.ok) throw AppError.invalidTransition(next.reason);
  if (NEEDS_REASON.has(input.action) && !reason)
    throw AppError.validation(
      input.action === 'resolve' ? 'a note on what was done is required to resolve' : `a reason is required to ${input.action}`,
    );
  if (NEEDS_QUESTION.has(input.action) && !question) throw AppError.validation('ask needs the question for the resident');
  if (input.action === 'resolve' && proof.length === 0 && proofRequired(ctx.city, user)) throw AppError.validation('resolve needs a proof photo');
  const centre = ctx.city.city.fallback_organisation;
  if (input.action === 'hand_back' && t.organisation_id === centre) throw AppError.invalidTransition('the ticket is already with the centre');
  let organisation = t.organisation_id;
  let category = t.category;
  if (input.action === 'assign') {
    if (!input.organisation) throw AppError.validation('assign needs an organisation');
    if (!ctx.city.organisations.some((o) => o.id === input.organisation)) throw AppError.validation(`unknown organisation ${input.organisation}`);
    if (input.category && !ctx.city.categories.some((c) => c.code === input.category))
      throw AppError.validation(`unknown category ${input.category}`);
    organisation = input.organisation;
    category = input.category ?? t.category;
  } else if (input.category) throw AppError.validation('a category is corrected with assign');
  // "Not ours" returns the ticket to the centre's queue, never into a void.
  if (input.action === 'hand_back') organisation = centre;
  const now = ctx.now();
  // A corrected category brings its own deadlines, counted from when the city received the appeal.
  const due = category !== t.category ? deadlines(ctx.city.calendar, ctx.city.sla.targets, category, t.urgency as Urgency, t.created_at) : null;
  const effect = clockEffect(t.status, next.to);
  const resumed = effect === 'resume' ? resumeClock(ctx.city.calendar, t, now) : null;
  const moved = organisation !== t.organisation_id || (input.action === 'assign' && t.assigned_at === null);
  const updated = await tx
    .updateTable('tickets')
    .set({
      status: next.to,
      organisation_id: organisation,
      category,
      ...(due
        ? {
            first_response_due: afterPauses(ctx.city.calendar, due.firstResponseDue, t.paused_minutes),
            resolution_due: afterPauses(ctx.city.calendar, due.resolutionDue, t.paused_minutes),
          }
        : {}),
      ...(effect === 'pause' ? pauseClock(t, now) : {}),
      ...(resumed?.change ?? {}),
      // The organisation it reached must accept it afresh; accepting is its first response.
      ...(moved ? { assigned_at: now, accepted_at: null } : {}),
      ...(input.action === 'accept' && !t.accepted_at ? { accepted_at: now } : {}),
      ...(input.action === 'hand_back' ? { handback_count: sql<number>`handback_count + 1` } : {}),
      ...(input.action === 'reopen' ? { reopen_count: sql<number>`reopen_count + 1` } : {}),
      updated_at: now,
      version: sql`version + 1`,
      ...(next.to === 'resolved' ? { resolved_at: now } : {}),
      ...(next.to === 'closed' ? { closed_at: now } : {}),
      ...(next.to === 'reopened' ? { resolved_at: null, closed_at: null } : {}),
    })
    .where('id', '=', t.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // Assigning is an operator's verdict on the category, corrected or confirmed: a labelled example.
  if (input.action === 'assign' && category) {
    await recordCategoryLabel(tx, t.source_message_id, category, user.id);
    // The corrected category moves the message's analytics count to its new cell, in this transaction.
    await recount(tx, ctx.city.calendar.utcOffsetMinutes, [t.source_message_id]);
  }
  const noteId = await noteOfAction(change, t.id, user.id, input.action, { question, reason, proof, now });
  change.audit({
    action: `ticket.${input.action}`,
    entityType: 'ticket',
    entityId: number,
    data: {
      from: t.status,
      to: next.to,
      reason: input.action === 'ask' ? null : (reason ?? null),
      organisation: organisation !== t.organisation_id ? organisation : undefined,
      handed_back_by: input.action === 'hand_back' ? t.organisation_id : undefined,
      category: category !== t.category ? { from: t.category, to: category } : undefined,
      question: question,
      paused_minutes: resumed ? resumed.minutes : undefined,
      note_id: noteId ?? undefined,
      proof: input.action === 'resolve' ? proof.length : undefined,
    },
  });
  const lang = (t.language as Language) ?? ctx.city.city.default_language;
  const key = residentTemplate(input.action, next.to);
  if (hasTemplate(ctx.city, key))
    notifyResident(change, ctx, t, key, lang, residentVars(ctx, updated, lang, { reason, question }), updated.version, category);
  if (input.action === 'assign') await notifyAssignment(change, ctx, updated);
  return updated;
}

/** The note an action leaves in the ticket's working papers: the question asked, the hand-back reason, the proof. */
async function noteOfAction(
  change: Change,
  ticketId: number,
  userId: number,
  action: TicketAction,
  v: { question: string | undefined; reason: string | undefined; proof: PhotoInput[]; now: Date },
): Promise<number | null> {
  const base = { ticketId, authorUserId: userId, at: v.now };
  if (action === 'ask') return writeNote(change, { ...base, kind: 'question', text: v.question ?? null });
  if (action === 'hand_back') return writeNote(change, { ...base, kind: 'handback', text: v.reason ?? null });
  if (action === 'resolve') return writeNote(change, { ...base, kind: 'proof', text: v.reason ?? null, photos: v.proof });
  return null;
}

/**
 * The resident answered while the ticket waited for them: it goes back to work by itself, the clock runs again with
 * the deadlines moved by the working time it stood still, and the resident hears the new deadline. Called inside the
 * change that adds the resident's message (tickets/resident.ts addDetails), so the answer and the resumption commit
 * together. Does nothing unless the ticket is waiting.
 */
export async function resumeOnResidentAnswer(change: Change, ctx: Context, t: { id: number; status: string }) {
  if (t.status !== 'waiting') return null;
  const row = await change.tx.selectFrom('tickets').selectAll().where('id', '=', t.id).forUpdate().executeTakeFirstOrThrow();
  const next = transition('waiting', 'resume');
  if (row.status !== 'waiting' || !next.ok) return null;
  const now = ctx.now();
  const { change: clock, minutes } = resumeClock(ctx.city.calendar, row, now);
  const updated = await change.tx
    .updateTable('tickets')
    .set({ status: next.to, ...clock, updated_at: now, version: sql`version + 1` })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  change.audit({
    action: 'ticket.resume',
    entityType: 'ticket',
    entityId: row.number,
    data: { from: 'waiting', to: next.to, by: 'resident', paused_minutes: minutes },
  });
  const lang = (row.language as Language) ?? ctx.city.city.default_language;
  if (hasTemplate(ctx.city, 'question.answered'))
    notifyResident(change, ctx, row, 'question.answered', lang, residentVars(ctx, updated, lang), updated.version, row.category);
  // The executors who asked hear the answer came and the clock runs again (no resident's words or contacts).
  await notifyAnswered(change, ctx, updated);
  return updated;
}
