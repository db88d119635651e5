// Work on an incident as a whole: assign it, accept it, resolve it with a note, close or reopen it. The incident
// moves by the ticket lifecycle, and so does every one of its tickets that can follow, in one commitChange: the
// incident's audit row, each ticket's audit rows and each resident's message commit together or not at all.
import { can, canIncident, type StaffUser } from '../auth/policies.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Change, commitChange } from '../outbox/change.js';
import { humanDeadline } from '../outbox/templates.js';
import { NEEDS_REASON, type TicketStatus, transition } from '../tickets/lifecycle.js';
import { checkPhotos, type PhotoInput, proofRequired } from '../tickets/notes.js';
import { executorsOf, notifyStaff } from '../tickets/notify-staff.js';
import { retrainIfDue } from '../triage/learning/retrain.js';
import { moveChild } from './children.js';
import { incidentAction, stepsFor } from './plan.js';
import { type IncidentRow, lockChildren, lockIncident } from './repository.js';
import { tellDuplicates } from './residents.js';
import { earliest, INCIDENT_NOTICE, incidentTitle } from './texts.js';

export interface IncidentActInput {
  action: string;
  /** The reason (reopen) or, with resolve, what was done: written on every ticket and told to every resident. */
  reason?: string | undefined;
  note?: string | undefined;
  organisation?: string | undefined;
  /** With assign: the category of the whole incident; every ticket's deadlines follow it. */
  category?: string | undefined;
  /** With resolve: photos proving the fix, kept once, on the incident's oldest ticket. */
  proof?: PhotoInput[] | undefined;
  /** The version the user saw: a stale one is refused instead of silently overwriting someone else's change. */
  version?: number | undefined;
}

export async function actOnIncident(ctx: Context, user: StaffUser, number: string, input: IncidentActInput) {
  const action = incidentAction(input.action);
  if (!action) throw AppError.validation(`an incident does not take the action ${input.action}; its tickets do, one by one`);
  const text = (action === 'resolve' ? (input.note ?? input.reason) : input.reason)?.trim().slice(0, 2000) || undefined;
  const proof = checkPhotos(input.proof ?? []);
  if (proof.length && action !== 'resolve') throw AppError.validation('proof goes with resolve');
  const updated = await commitChange(ctx.db, { type: 'user', id: String(user.id) }, async (change) => {
    const { tx } = change;
    const incident = await lockIncident(tx, number);
    if (!incident) throw AppError.notFound('incident', number);
    if (!canIncident(user, 'act', incident)) throw AppError.forbidden(`${action} on incident ${number}`);
    if (incident.dissolved_at)
      throw AppError.invalidTransition(`incident ${number} was dissolved${incident.merged_into ? ` into ${incident.merged_into}` : ''}`);
    if (input.version !== undefined && input.version !== incident.version)
      throw AppError.conflict(`incident ${number} was changed by someone else (version ${incident.version})`);
    const next = transition(incident.status as TicketStatus, action);
    if (!next.ok) throw AppError.invalidTransition(next.reason.replace('a ticket', 'an incident'));
    if (NEEDS_REASON.has(action) && !text)
      throw AppError.validation(action === 'resolve' ? 'a note on what was done is required to resolve' : `a reason is required to ${action}`);
    if (action === 'resolve' && proof.length === 0 && proofRequired(ctx.city, user)) throw AppError.validation('resolve needs a proof photo');
    let { organisation_id: organisation, category } = incident;
    if (action === 'assign') {
      if (!input.organisation) throw AppError.validation('assign needs an organisation');
      if (!ctx.city.organisations.some((o) => o.id === input.organisation)) throw AppError.validation(`unknown organisation ${input.organisation}`);
      if (input.category && !ctx.city.categories.some((c) => c.code === input.category))
        throw AppError.validation(`unknown category ${input.category}`);
      organisation = input.organisation;
      category = input.category ?? category;
    } else if (input.category || input.organisation) throw AppError.validation('an organisation and a category go with assign');

    const children = await lockChildren(tx, number);
    const plans = children.map((t) => ({ t, steps: stepsFor(t.status, action) }));
    // Nobody does to a ticket through its incident what they could not do to the ticket itself.
    for (const { t, steps } of plans) {
      if (!steps) continue;
      const refused = steps.find((s) => !can(user, s, t));
      if (refused) throw AppError.forbidden(`${refused} on ticket ${t.number} of incident ${number}`);
    }
    const now = ctx.now();
    const row = await tx
      .updateTable('incidents')
      .set((eb) => ({
        status: next.to,
        organisation_id: organisation,
        category,
        updated_at: now,
        version: eb('version', '+', 1),
        ...(next.to === 'resolved' ? { resolved_at: now } : {}),
        ...(next.to === 'closed' ? { closed_at: now } : {}),
        ...(action === 'reopen' ? { resolved_at: null, closed_at: null } : {}),
      }))
      .where('id', '=', number)
      .returningAll()
      .executeTakeFirstOrThrow();
    const moving = plans.filter((p) => p.steps);
    // Reports marked as duplicates do not move, but their residents were promised word of the fix.
    const duplicatesTold = action === 'resolve' ? tellDuplicates(change, ctx, children, row, text ?? '') : [];
    change.audit({
      action: `incident.${action}`,
      entityType: 'incident',
      entityId: number,
      data: {
        from: incident.status,
        to: next.to,
        reason: text ?? null,
        organisation: organisation !== incident.organisation_id ? organisation : undefined,
        category: category !== incident.category ? { from: incident.category, to: category } : undefined,
        tickets: moving.map((p) => p.t.number),
        // Tickets that could not follow (already there, waiting in a way the action cannot end, rejected…) say why.
        skipped: plans.filter((p) => !p.steps).map((p) => ({ ticket: p.t.number, status: p.t.status })),
        proof_on: proof.length ? moving[0]?.t.number : undefined,
        duplicates_told: duplicatesTold.length ? duplicatesTold : undefined,
      },
    });
    const moved = [];
    for (const [i, { t, steps }] of moving.entries()) {
      const m = {
        steps: steps ?? [],
        incident: number,
        organisation: action === 'assign' ? (organisation ?? undefined) : undefined,
        category: action === 'assign' ? input.category : undefined,
        reason: text,
        userId: user.id,
        photos: i === 0 ? proof : [],
        cause: 'incident' as const,
      };
      moved.push(await moveChild(change, ctx, t, m, now));
    }
    if (action === 'assign') await tellExecutors(change, ctx, row, moved);
    return row;
  });
  if (action === 'assign') {
    // Learning must never fail the operator's action: a retrain that cannot be queued now is asked for again later.
    await retrainIfDue(ctx).catch((err) => ctx.log.error({ err }, 'could not queue a triage retrain'));
  }
  return updated;
}

/** One notice for the whole incident, to the executors of the organisation it now belongs to (not one per report). */
async function tellExecutors(change: Change, ctx: Context, i: IncidentRow, tickets: { resolution_due: Date | null }[]) {
  if (!i.organisation_id) return;
  const link = `${ctx.settings.QALA_PUBLIC_URL.replace(/\/+$/, '')}/#/staff/incident/${encodeURIComponent(i.id)}`;
  const due = earliest(tickets.map((t) => t.resolution_due));
  await notifyStaff(change, ctx, await executorsOf(change.tx, i.organisation_id), {
    key: `incident:${i.id}:v${i.version}:assigned`,
    ticketId: null,
    template: 'staff.incident_assigned',
    text: (lang) =>
      INCIDENT_NOTICE[lang]({
        number: i.id,
        title: incidentTitle(ctx.city, i, lang),
        count: tickets.length,
        deadline: due ? humanDeadline(ctx.city, due) : '—',
        link,
      }),
  });
}
