// Ticket commands: open a ticket for a message, and move a ticket through its lifecycle. Each is one
// commitChange: the ticket row, its audit row, the message to the resident and the notices to the executors
// of the organisation it is assigned to commit together.
import { sql } from 'kysely';
import { can, type StaffUser } from '../auth/policies.js';
import type { Language, Urgency } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Actor, type Change, commitChange } from '../outbox/change.js';
import { categoryName, humanDeadline, orgName, render, type TemplateVars } from '../outbox/templates.js';
import { localDate } from '../sla/calendar.js';
import { deadlines } from '../sla/deadlines.js';
import { recordCategoryLabel } from '../triage/labels.js';
import { retrainIfDue } from '../triage/learning/retrain.js';
import { isTicketStatus, NEEDS_REASON, type TicketAction, type TicketStatus, transition } from './lifecycle.js';
import { notifyAssignment } from './notify-staff.js';
import { nextTicketNumber } from './numbers.js';

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
  });
}

interface TicketTarget {
  id: number;
  number: string;
  channel: string;
  resident_id: number | null;
}

/** `seq` is the ticket version the message belongs to, so each change speaks once, however often it is replayed. */
function notifyResident(change: Change, ctx: Context, t: TicketTarget, template: string, language: Language, vars: TemplateVars, seq: number) {
  change.send({
    idempotencyKey: `ticket:${t.number}:${seq}:${template}`,
    channel: t.channel,
    ticketId: t.id,
    target: { thread: t.number, resident_id: t.resident_id },
    payload: { text: render(ctx.city, template, language, vars), language, template },
  });
}

export interface ActInput {
  action: TicketAction;
  reason?: string | undefined;
  organisation?: string | undefined;
  /** With assign: the operator's correction of the category; the deadlines follow it. */
  category?: string | undefined;
  /** The version the user saw: a stale one is refused instead of silently overwriting someone else's change. */
  version?: number | undefined;
}

export async function actOnTicket(ctx: Context, user: StaffUser, number: string, input: ActInput) {
  const updated = await changeTicket(ctx, user, number, input);
  if (input.action === 'assign') {
    // Learning must never fail the operator's action: a retrain that cannot be queued now is asked for again later.
    await retrainIfDue(ctx).catch((err) => ctx.log.error({ err }, 'could not queue a triage retrain'));
  }
  return updated;
}

async function changeTicket(ctx: Context, user: StaffUser, number: string, input: ActInput) {
  const actor: Actor = { type: 'user', id: String(user.id) };
  return commitChange(ctx.db, actor, async (change) => {
    const { tx } = change;
    const t = await tx.selectFrom('tickets').selectAll().where('number', '=', number).forUpdate().executeTakeFirst();
    if (!t) throw AppError.notFound('ticket', number);
    if (!can(user, input.action, t)) throw AppError.forbidden(`${input.action} on ticket ${number}`);
    if (input.version !== undefined && input.version !== t.version)
      throw AppError.conflict(`ticket ${number} was changed by someone else (version ${t.version})`);
    if (!isTicketStatus(t.status)) throw new Error(`ticket ${number} has unknown status ${t.status}`);
    const next = transition(t.status, input.action);
    if (!next.ok) throw AppError.invalidTransition(next.reason);
    if (NEEDS_REASON.has(input.action) && !input.reason?.trim()) throw AppError.validation(`a reason is required to ${input.action}`);
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
    // A corrected category brings its own deadlines, counted from when the city received the appeal.
    const due = category !== t.category ? deadlines(ctx.city.calendar, ctx.city.sla.targets, category, t.urgency as Urgency, t.created_at) : null;
    const now = new Date();
    const updated = await tx
      .updateTable('tickets')
      .set({
        status: next.to,
        organisation_id: organisation,
        category,
        ...(due ? { first_response_due: due.firstResponseDue, resolution_due: due.resolutionDue } : {}),
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
    if (input.action === 'assign' && category) await recordCategoryLabel(tx, t.source_message_id, category, user.id);
    change.audit({
      action: `ticket.${input.action}`,
      entityType: 'ticket',
      entityId: number,
      data: {
        from: t.status,
        to: next.to,
        reason: input.reason ?? null,
        organisation: organisation !== t.organisation_id ? organisation : undefined,
        category: category !== t.category ? { from: t.category, to: category } : undefined,
      },
    });
    const lang = (t.language as Language) ?? ctx.city.city.default_language;
    const key = `status.${next.to}`;
    if (key in ctx.city.templates) {
      notifyResident(
        change,
        ctx,
        t,
        key,
        lang,
        {
          number,
          organisation: orgName(ctx.city, organisation, lang),
          category: categoryName(ctx.city, t.category, lang),
          reason: input.reason ?? '',
        },
        updated.version,
      );
    }
    if (input.action === 'assign') await notifyAssignment(change, ctx, updated);
    return updated;
  });
}
