// The resident's own actions on their ticket, whatever channel they use (Telegram bot now; the web portal and
// other channels later): confirm the fix, reopen it, rate it, add details. Each checks the ticket is the
// resident's (another resident's ticket is "not found", never "forbidden": numbers must not be probed) and is
// one commitChange, so the change, its audit row and the message to the resident commit together.
import { sql } from 'kysely';
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { storeAttachments } from '../inbox/intake.js';
import { type Actor, type Change, commitChange } from '../outbox/change.js';
import { categoryName, orgName, render } from '../outbox/templates.js';
import type { MessageLocation } from '../store/schema.js';
import { isTicketStatus, NEEDS_REASON, OPEN_STATUSES, type TicketAction, transition } from './lifecycle.js';

const residentActor = (residentId: number): Actor => ({ type: 'resident', id: String(residentId) });

/** The resident confirms the fix: resolved → closed. */
export function confirmResolution(ctx: Context, number: string, residentId: number) {
  return moveByResident(ctx, number, residentId, 'close');
}

/** The problem is still there: resolved → reopened, back to the same organisation, with the resident's words. */
export async function reopenByResident(ctx: Context, number: string, residentId: number, reason: string) {
  if (!reason.trim()) throw AppError.validation('a reason is required to reopen');
  return moveByResident(ctx, number, residentId, 'reopen', reason.trim().slice(0, 2000));
}

async function moveByResident(ctx: Context, number: string, residentId: number, action: 'close' | 'reopen', reason?: string) {
  return commitChange(ctx.db, residentActor(residentId), async (change) => {
    const t = await ownTicket(change, number, residentId);
    if (!isTicketStatus(t.status)) throw new Error(`ticket ${number} has unknown status ${t.status}`);
    // A resident closes or reopens only what the city marked resolved; a closed ticket is a new appeal.
    if (t.status !== 'resolved') throw AppError.invalidTransition(`cannot ${action} a ticket that is ${t.status}`);
    const next = transition(t.status, action as TicketAction);
    if (!next.ok) throw AppError.invalidTransition(next.reason);
    if (NEEDS_REASON.has(action) && !reason) throw AppError.validation(`a reason is required to ${action}`);
    const now = new Date();
    const updated = await change.tx
      .updateTable('tickets')
      .set({
        status: next.to,
        updated_at: now,
        version: sql`version + 1`,
        ...(next.to === 'closed' ? { closed_at: now } : { resolved_at: null, closed_at: null }),
      })
      .where('id', '=', t.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    change.audit({
      action: `ticket.${action}`,
      entityType: 'ticket',
      entityId: number,
      data: { from: t.status, to: next.to, reason: reason ?? null, by: 'resident' },
    });
    const lang = (t.language as Language) ?? ctx.city.city.default_language;
    const template = `status.${next.to}`;
    if (template in ctx.city.templates) {
      change.send({
        idempotencyKey: `ticket:${number}:${updated.version}:${template}`,
        channel: t.channel,
        ticketId: t.id,
        target: { thread: number, resident_id: t.resident_id },
        payload: {
          text: render(ctx.city, template, lang, {
            number,
            organisation: orgName(ctx.city, t.organisation_id, lang),
            category: categoryName(ctx.city, t.category, lang),
            reason: reason ?? '',
          }),
          language: lang,
          template,
        },
      });
    }
    return updated;
  });
}

/** A score of 1–5 (and an optional comment) for a closed ticket; rating again replaces the earlier score. */
export async function rateTicket(ctx: Context, number: string, residentId: number, score: number, comment?: string) {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw AppError.validation('a rating is a whole number from 1 to 5');
  return commitChange(ctx.db, residentActor(residentId), async (change) => {
    const t = await ownTicket(change, number, residentId);
    if (t.status !== 'closed') throw AppError.invalidTransition(`cannot rate a ticket that is ${t.status}`);
    const before = await change.tx.selectFrom('ratings').select('score').where('ticket_id', '=', t.id).executeTakeFirst();
    const text = comment?.trim() ? comment.trim().slice(0, 2000) : null;
    await change.tx
      .insertInto('ratings')
      .values({ ticket_id: t.id, resident_id: residentId, score, comment: text, channel: t.channel, updated_at: new Date() })
      .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ score, comment: text, updated_at: new Date() }))
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
export async function addDetails(ctx: Context, number: string, residentId: number, d: Details): Promise<{ messageId: number; duplicate: boolean }> {
  return commitChange(ctx.db, residentActor(residentId), async (change) => {
    const { tx } = change;
    const t = await ownTicket(change, number, residentId);
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
        resident_id: residentId,
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
    return { messageId: m.id, duplicate: false };
  });
}

/** The ticket, locked for the change, if it is this resident's; otherwise the same "not found" as a wrong number. */
async function ownTicket(change: Change, number: string, residentId: number) {
  const t = await change.tx.selectFrom('tickets').selectAll().where('number', '=', number).forUpdate().executeTakeFirst();
  if (!t || t.resident_id !== residentId) throw AppError.notFound('ticket', number);
  return t;
}
