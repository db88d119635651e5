// The resident's own actions on their ticket, whatever channel they use (the Telegram bot, the web portal):
// confirm the fix, reopen it within the confirmation window, rate it, add details. Each checks the ticket is the
// resident's (another resident's ticket is "not found", never "forbidden": numbers must not be probed) and is
// one commitChange, so the change, its audit row and the message to the resident commit together.
import { sql } from 'kysely';
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { storeAttachments } from '../inbox/intake.js';
import { followAfter } from '../incidents/follow.js';
import { type Actor, type Change, commitChange } from '../outbox/change.js';
import { categoryName, orgName, render } from '../outbox/templates.js';
import { formatLocal } from '../sla/calendar.js';
import type { MessageLocation } from '../store/schema.js';
import { keyOpens, ticketForKey } from './access.js';
import { resumeOnResidentAnswer } from './commands.js';
import { windowEnd, windowOpen } from './confirm-window.js';
import { isTicketStatus, NEEDS_REASON, OPEN_STATUSES, type TicketAction, transition } from './lifecycle.js';
import { notifyReopened } from './notify-staff.js';

/**
 * Who speaks for the ticket: a resident known by their channel identity (a Telegram chat, a phone number), or
 * whoever holds the access key the web portal gave when the appeal was filed.
 */
export type Owner = number | { accessKey: string };

/** The actor of the audit rows: the resident, known by id when the ticket has one (a key holder may not). */
async function actorFor(ctx: Context, number: string, owner: Owner): Promise<Actor> {
  if (typeof owner === 'number') return { type: 'resident', id: String(owner) };
  const t = await ticketForKey(ctx.db, number, owner.accessKey);
  if (!t) throw AppError.notFound('ticket', number);
  return { type: 'resident', id: t.resident_id === null ? null : String(t.resident_id) };
}

const residentIdOf = (owner: Owner, t: { resident_id: number | null }) => (typeof owner === 'number' ? owner : t.resident_id);

/** The resident confirms the fix: resolved → closed. */
export async function confirmResolution(ctx: Context, number: string, owner: Owner) {
  const updated = await moveByResident(ctx, number, owner, 'close');
  // The last reporter of an incident to confirm closes the incident too (incidents/follow.ts).
  await followAfter(ctx, updated.incident_id);
  return updated;
}

/**
 * The problem is still there: resolved → reopened within the confirmation window, back to the same organisation
 * with its history, the resident's words and one more reopening counted against it.
 */
export async function reopenByResident(ctx: Context, number: string, owner: Owner, reason: string) {
  if (!reason.trim()) throw AppError.validation('a reason is required to reopen');
  return moveByResident(ctx, number, owner, 'reopen', reason.trim().slice(0, 2000));
}

/** Refuses to reopen once the window after resolution has passed: by then it is a new appeal. */
function checkWindow(ctx: Context, number: string, resolvedAt: Date | null, now: Date) {
  const days = ctx.city.city.resident_loop.confirm_window_days;
  if (!resolvedAt || windowOpen(ctx.city.calendar, resolvedAt, days, now)) return;
  const ends = formatLocal(ctx.city.calendar, windowEnd(ctx.city.calendar, resolvedAt, days));
  throw new AppError(
    'invalid_transition',
    `ticket ${number} can no longer be reopened: the ${days}-day window after its resolution ended at ${ends}; please file a new appeal`,
    { reason: 'window_closed', window_days: days, window_ends: ends },
  );
}

async function moveByResident(ctx: Context, number: string, owner: Owner, action: 'close' | 'reopen', reason?: string) {
  return commitChange(ctx.db, await actorFor(ctx, number, owner), async (change) => {
    const t = await ownTicket(change, number, owner);
    if (!isTicketStatus(t.status)) throw new Error(`ticket ${number} has unknown status ${t.status}`);
    // A resident closes or reopens only what the city marked resolved; a closed ticket is a new appeal.
    if (t.status !== 'resolved') throw AppError.invalidTransition(`cannot ${action} a ticket that is ${t.status}`);
    const next = transition(t.status, action as TicketAction);
    if (!next.ok) throw AppError.invalidTransition(next.reason);
    if (NEEDS_REASON.has(action) && !reason) throw AppError.validation(`a reason is required to ${action}`);
    const now = ctx.now();
    // Confirming late is harmless (the sweep would close it anyway); reopening late is not allowed.
    if (action === 'reopen') checkWindow(ctx, number, t.resolved_at, now);
    const updated = await change.tx
      .updateTable('tickets')
      .set({
        status: next.to,
        updated_at: now,
        version: sql`version + 1`,
        ...(next.to === 'closed' ? { closed_at: now } : { resolved_at: null, closed_at: null, reopen_count: sql`reopen_count + 1` }),
      })
      .where('id', '=', t.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    change.audit({
      action: `ticket.${action}`,
      entityType: 'ticket',
      entityId: number,
      data: {
        from: t.status,
        to: next.to,
        reason: reason ?? null,
        by: 'resident',
        ...(typeof owner === 'number' ? {} : { via: 'access_key' }),
        ...(action === 'reopen' ? { reopen_count: updated.reopen_count } : {}),
      },
    });
    // Back to the same organisation, counted against it: its executors hear so at once.
    if (action === 'reopen') await notifyReopened(change, ctx, updated);
    const lang = (t.language as Language) ?? ctx.city.city.default_language;
    const template = `status.${next.to}`;
    if (template in ctx.city.templates) {
      change.send({
        idempotencyKey: `ticket:${number}:${updated.version}:${template}`,
        channel: t.channel,
        ticketId: t.id,
        target: { thread: number, resident_id: t.resident_id },
        payload: {
          text: render(
            ctx.city,
            template,
            lang,
            {
              number,
              organisation: orgName(ctx.city, t.organisation_id, lang),
              category: categoryName(ctx.city, t.category, lang),
              reason: reason ?? '',
            },
            t.category,
          ),
          language: lang,
          template,
        },
      });
    }
    return updated;
  });
}

/** Statuses in which the resident may rate how their ticket was handled. */
export const RATEABLE: ReadonlySet<string> = new Set(['resolved', 'closed']);

/** A score of 1–5 (and an optional comment) once the ticket is resolved or closed; rating again replaces the first. */
export async function rateTicket(ctx: Context, number: string, owner: Owner, score: number, comment?: string) {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw AppError.validation('a rating is a whole number from 1 to 5');
  return commitChange(ctx.db, await actorFor(ctx, number, owner), async (change) => {
    const t = await ownTicket(change, number, owner);
    if (!RATEABLE.has(t.status)) throw AppError.invalidTransition(`cannot rate a ticket that is ${t.status}`);
    const before = await change.tx.selectFrom('ratings').select('score').where('ticket_id', '=', t.id).executeTakeFirst();
    const text = comment?.trim() ? comment.trim().slice(0, 2000) : null;
    const now = ctx.now();
    await change.tx
      .insertInto('ratings')
      .values({ ticket_id: t.id, resident_id: residentIdOf(owner, t), score, comment: text, channel: t.channel, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ score, comment: text, updated_at: now }))
      .execute();
    change.audit({ action: 'ticket.rated', entityType: 'ticket', entityId: number, data: { score, comment: text, previous: before?.score ?? null } });
    return { number, score };
  });
}

export interface Details {
  channel: string;
  /** The platform's id of the message: a redelivered message is added once. */
  externalId: string;
  threadRef?: string | null;
  text: string;
  location?: MessageLocation | null;
  attachments?: { contentType: string; filename?: string | undefined; bytes: Buffer }[];
  raw: Record<string, unknown>;
  receivedAt?: Date;
}

/** More words, photos or a location for a ticket still being worked: a new inbound message in its conversation. */
export async function addDetails(ctx: Context, number: string, owner: Owner, d: Details): Promise<{ messageId: number; duplicate: boolean }> {
  return commitChange(ctx.db, await actorFor(ctx, number, owner), async (change) => {
    const { tx } = change;
    const t = await ownTicket(change, number, owner);
    const existing = await tx
      .selectFrom('messages')
      .select('id')
      .where('channel', '=', d.channel)
      .where('external_id', '=', d.externalId)
      .executeTakeFirst();
    if (existing) return { messageId: existing.id, duplicate: true };
    if (!isTicketStatus(t.status) || !(OPEN_STATUSES.has(t.status) || t.status === 'resolved')) {
      throw AppError.invalidTransition(`cannot add details to a ticket that is ${t.status}`);
    }
    const m = await tx
      .insertInto('messages')
      .values({
        channel: d.channel,
        external_id: d.externalId,
        thread_ref: d.threadRef ?? null,
        direction: 'in',
        resident_id: residentIdOf(owner, t),
        author_user_id: null,
        text: d.text,
        location: d.location ? JSON.stringify(d.location) : null,
        raw: JSON.stringify(d.raw),
        received_at: d.receivedAt ?? new Date(),
        // Part of an existing ticket's conversation: nothing for triage to do.
        stage: 'done',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await storeAttachments(tx, m.id, d.attachments ?? []);
    await tx.insertInto('ticket_messages').values({ ticket_id: t.id, message_id: m.id }).execute();
    change.audit({
      action: 'ticket.details_added',
      entityType: 'ticket',
      entityId: number,
      data: { message_id: m.id, channel: d.channel, attachments: d.attachments?.length ?? 0, location: Boolean(d.location) },
    });
    // A ticket waiting for the resident's answer: this message is the answer, and work (and the clock) resumes.
    await resumeOnResidentAnswer(change, ctx, t);
    return { messageId: m.id, duplicate: false };
  });
}

/** The ticket, locked for the change, if it is this resident's; otherwise the same "not found" as a wrong number. */
async function ownTicket(change: Change, number: string, owner: Owner) {
  const t = await change.tx.selectFrom('tickets').selectAll().where('number', '=', number).forUpdate().executeTakeFirst();
  if (!t) throw AppError.notFound('ticket', number);
  const own = typeof owner === 'number' ? t.resident_id === owner : await keyOpens(change.tx, t.source_message_id, owner.accessKey);
  if (!own) throw AppError.notFound('ticket', number);
  return t;
}
