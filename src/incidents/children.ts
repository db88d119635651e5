// One ticket of an incident moved by the incident's work, inside the incident's change: the same lifecycle steps,
// column effects and audit rows a ticket action has, and the resident told in their own channel and language with
// their own templates. Called for every ticket of an incident action (actions.ts) and for a ticket that joins an
// incident already in work (membership.ts), so the incident's audit row and each ticket's commit together.
import { sql, type Updateable } from 'kysely';
import type { Language, Urgency } from '../config/schema.js';
import type { Context } from '../context.js';
import type { Change } from '../outbox/change.js';
import { categoryName, hasTemplate, humanDeadline, orgName, render, templateKey } from '../outbox/templates.js';
import { deadlines } from '../sla/deadlines.js';
import type { TicketsTable } from '../store/schema.js';
import { resumeClock } from '../tickets/clock.js';
import { type TicketAction, type TicketStatus, transition } from '../tickets/lifecycle.js';
import { type PhotoInput, writeNote } from '../tickets/notes.js';
import type { TicketRow } from '../tickets/repository.js';
import { recordCategoryLabel } from '../triage/labels.js';
import { START } from './plan.js';

export interface ChildMove {
  /** The lifecycle steps, in order (see plan.ts: stepsFor, catchUp). */
  steps: readonly TicketAction[];
  incident: string;
  /** With assign: the organisation the ticket goes to. */
  organisation?: string | undefined;
  /** With assign: the category the operator set for the incident; the ticket's deadlines follow it. */
  category?: string | undefined;
  /** The note or reason of the incident's action, kept in each audit row and told to the resident. */
  reason?: string | undefined;
  /** The user acting: their assignment with a category is a labelled example for the triage's learning, and a
   * resolution leaves their note (and proof photos) in the ticket's working papers, as a ticket's own does. */
  userId?: number | undefined;
  /** With resolve: proof photos, written on this ticket's note (the incident puts them on one ticket only). */
  photos?: PhotoInput[] | undefined;
  /** Why the ticket moves: the incident's action, or catching up with an incident it joined. */
  cause: 'incident' | 'catch_up';
  /** The resident is told otherwise (a ticket joining an incident in work hears `incident.joined` instead). */
  quiet?: boolean | undefined;
}

/** Moves the (locked) ticket through the steps; returns the updated row. The caller checked each step is allowed. */
export async function moveChild(change: Change, ctx: Context, t: TicketRow, m: ChildMove, now: Date): Promise<TicketRow> {
  const { city } = ctx;
  let status = t.status as TicketStatus;
  const patch: Updateable<TicketsTable> = {};
  let reopened = false;
  const audits: { action: TicketAction; from: TicketStatus; to: TicketStatus; extra: Record<string, unknown> }[] = [];
  let organisation = t.organisation_id;
  let category = t.category;
  for (const step of m.steps) {
    const next = transition(status, step);
    if (!next.ok) throw new Error(`incident ${m.incident}: ${next.reason} (ticket ${t.number})`);
    const extra: Record<string, unknown> = {};
    if (step === 'resume' && t.paused_at) {
      // The same clock arithmetic as a ticket's own resume: the wait does not count against the organisation.
      const { change: clock, minutes } = resumeClock(city.calendar, t, now);
      Object.assign(patch, clock);
      extra.paused_minutes = minutes;
    }
    if (step === 'assign' && m.organisation) {
      if (m.organisation !== organisation) extra.organisation = m.organisation;
      organisation = m.organisation;
      if (m.category && m.category !== category) {
        extra.category = { from: category, to: m.category };
        const due = deadlines(city.calendar, city.sla.targets, m.category, t.urgency as Urgency, t.created_at);
        Object.assign(patch, { first_response_due: due.firstResponseDue, resolution_due: due.resolutionDue });
        category = m.category;
      }
      // The organisation it reached must accept it afresh; accepting is its first response.
      if (organisation !== t.organisation_id || t.assigned_at === null) Object.assign(patch, { assigned_at: now, accepted_at: null });
    }
    if (step === START && !('accepted_at' in patch ? patch.accepted_at : t.accepted_at)) patch.accepted_at = now;
    if (next.to === 'resolved') patch.resolved_at = now;
    if (next.to === 'closed') patch.closed_at = now;
    if (step === 'reopen') {
      Object.assign(patch, { resolved_at: null, closed_at: null });
      reopened = true;
    }
    audits.push({ action: step, from: status, to: next.to, extra });
    status = next.to;
  }
  const updated = await change.tx
    .updateTable('tickets')
    .set({
      ...patch,
      status,
      organisation_id: organisation,
      category,
      updated_at: now,
      version: sql`version + 1`,
      ...(reopened ? { reopen_count: sql`reopen_count + 1` } : {}),
    })
    .where('id', '=', t.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (m.userId && m.category) await recordCategoryLabel(change.tx, t.source_message_id, m.category, m.userId);
  if (status === 'resolved' && m.reason) {
    const noteId = await writeNote(change, {
      ticketId: t.id,
      authorUserId: m.userId ?? null,
      kind: 'proof',
      text: m.reason,
      at: now,
      photos: m.photos ?? [],
    });
    (audits.at(-1) as (typeof audits)[number]).extra.note_id = noteId;
  }
  for (const a of audits) {
    change.audit({
      action: `ticket.${a.action}`,
      entityType: 'ticket',
      entityId: t.number,
      data: { from: a.from, to: a.to, reason: m.reason ?? null, incident: m.incident, by: m.cause, ...a.extra },
    });
  }
  if (!m.quiet) tellResident(change, ctx, t, updated, m.reason);
  return updated;
}

/** The resident hears of the ticket's new status through their own channel, in their language, once per version. */
function tellResident(change: Change, ctx: Context, before: TicketRow, t: TicketRow, reason: string | undefined) {
  const { city } = ctx;
  const template = `status.${t.status}`;
  if (!hasTemplate(city, template)) return;
  // Catching up without a change the resident would notice (same status, same organisation) says nothing.
  if (before.status === t.status && before.organisation_id === t.organisation_id) return;
  const lang = (t.language as Language) ?? city.city.default_language;
  const text = render(
    city,
    template,
    lang,
    {
      number: t.number,
      organisation: orgName(city, t.organisation_id, lang),
      category: categoryName(city, t.category, lang),
      deadline: t.resolution_due ? humanDeadline(city, t.resolution_due) : '',
      reason: reason ?? '',
      note: reason ?? '',
    },
    t.category,
  );
  change.send({
    // The key a ticket's own action uses: whichever moved the ticket to this version speaks once.
    idempotencyKey: `ticket:${t.number}:${t.version}:${template}`,
    channel: t.channel,
    ticketId: t.id,
    target: { thread: t.number, resident_id: t.resident_id },
    payload: { text, language: lang, template, variant: templateKey(city, template, t.category) },
  });
}
