// The escalation sweep: finds open, running tickets whose stored deadlines say a step of their chain is due (one
// indexed query, in batches), and fires each step once. A step is a row in `escalations` inserted with ON CONFLICT
// DO NOTHING in the same commitChange as its notices, its audit row and any move of the ticket, with the ticket
// locked: two workers, a replay or a crash in the middle can neither fire it twice nor lose it.
import { type Selectable, sql } from 'kysely';
import { STAFF_TEXTS } from '../channels/telegram/staff-texts.js';
import type { EscalationStep, Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { type Change, commitChange } from '../outbox/change.js';
import { humanDeadline, orgName, render } from '../outbox/templates.js';
import type { TicketsTable } from '../store/schema.js';
import { notifyAssignment, notifyStaff, recipients, ticketFacts } from '../tickets/notify-staff.js';
import { type ChainContext, type DueStep, dueSteps, minimalDelayMinutes, RUNNING } from './chains.js';
import { atRiskHorizon, clockMinutes, longestTarget, ticketClock } from './forecast.js';
import { type Medians, resolutionMedians } from './history.js';
import { riskReason, span } from './texts.js';
import type { Sweep } from './ticker.js';

const BATCH = 200;
const SYSTEM = { type: 'system', id: 'escalation' } as const;

type Ticket = Selectable<TicketsTable>;

export const escalationSweep: Sweep = { name: 'escalations', run: runEscalations };

/** Fires every step due at `now`; returns how many fired. */
export async function runEscalations(ctx: Context, now: Date): Promise<number> {
  const { city } = ctx;
  const c: ChainContext = { calendar: city.calendar, targets: city.sla.targets, escalation: city.escalation };
  const medians = await resolutionMedians(ctx, now);
  const bounds = {
    dueBefore: atRiskHorizon(city.calendar, city.escalation.at_risk, longestTarget(city.calendar, city.sla.targets), medians.longest, now),
    assignedBefore: new Date(now.getTime() - shortestReturnTimer(ctx) * 60_000),
  };
  let fired = 0;
  let after = 0;
  for (;;) {
    const batch = await candidates(ctx, now, bounds, after);
    if (batch.length === 0) break;
    after = (batch.at(-1) as Ticket).id;
    const done = await firedSteps(
      ctx,
      batch.map((t) => t.id),
    );
    for (const t of batch) {
      const due = dueSteps(c, t, now, medians.get(t.organisation_id, t.category)).filter((d) => !done.has(`${t.id}|${d.key}|${d.cycle}`));
      if (due.length === 0) continue;
      try {
        fired += await fire(ctx, c, t.id, now, medians);
      } catch (err) {
        // One ticket that cannot be escalated must not stop the others; it is tried again at the next tick.
        ctx.log.error({ err, ticket: t.number }, 'escalation failed');
      }
    }
    if (batch.length < BATCH) break;
  }
  return fired;
}

/** The shortest return timer of any chain, in calendar minutes at least: assignments younger cannot be due. */
function shortestReturnTimer(ctx: Context): number {
  const steps = Object.values(ctx.city.escalation.chains).flatMap((ch) => ch.steps.filter((s) => s.on === 'no_reaction'));
  return steps.length ? Math.min(...steps.map((s) => minimalDelayMinutes(s, ctx.city.calendar))) : Number.POSITIVE_INFINITY;
}

/** Open, running tickets one of whose stored times has come: a first response owed, a deadline near or past, an
 * assignment not accepted. Ordered by id for stable batches. */
function candidates(ctx: Context, now: Date, b: { dueBefore: Date; assignedBefore: Date }, after: number) {
  const assignedBefore = Number.isFinite(b.assignedBefore.getTime()) ? b.assignedBefore : new Date(0);
  return ctx.db
    .selectFrom('tickets')
    .selectAll()
    .where('status', 'in', [...RUNNING])
    .where('paused_at', 'is', null)
    .where('id', '>', after)
    .where((eb) =>
      eb.or([
        eb('resolution_due', '<=', b.dueBefore),
        eb.and([eb('accepted_at', 'is', null), eb('status', 'in', ['new', 'assigned']), eb('first_response_due', '<=', now)]),
        eb.and([eb('accepted_at', 'is', null), eb('status', '=', 'assigned'), eb('assigned_at', '<=', assignedBefore)]),
      ]),
    )
    .orderBy('id')
    .limit(BATCH)
    .execute();
}

async function firedSteps(ctx: Context, ids: number[]): Promise<Set<string>> {
  const rows = await ctx.db.selectFrom('escalations').select(['ticket_id', 'step', 'cycle']).where('ticket_id', 'in', ids).execute();
  return new Set(rows.map((r) => `${r.ticket_id}|${r.step}|${r.cycle}`));
}

/** Fires the ticket's due steps in one change, the ticket locked and read afresh; returns how many fired. */
async function fire(ctx: Context, c: ChainContext, ticketId: number, now: Date, medians: Medians): Promise<number> {
  return commitChange(ctx.db, SYSTEM, async (change) => {
    const t = await change.tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirst();
    if (!t) return 0;
    let fired = 0;
    for (const d of dueSteps(c, t, now, medians.get(t.organisation_id, t.category))) {
      const detail = d.forecast ? { rules: d.forecast.rules, remaining: d.forecast.remaining, total: d.forecast.total, clock: d.forecast.clock } : {};
      const row = await change.tx
        .insertInto('escalations')
        .values({ ticket_id: t.id, step: d.key, cycle: d.cycle, kind: d.kind, due_at: d.dueAt, fired_at: now, detail: JSON.stringify(detail) })
        .onConflict((oc) => oc.columns(['ticket_id', 'step', 'cycle']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) continue;
      fired++;
      const moved = await act(change, ctx, t, d, row.id, now);
      // A ticket taken from its organisation has left this cycle: the later steps were about that assignment.
      if (moved) break;
    }
    return fired;
  });
}

/** Tells the step's recipients, records it on the ticket and in the audit log, and moves the ticket if the step
 * says so. Returns true when the ticket moved. */
async function act(change: Change, ctx: Context, t: Ticket, d: DueStep, firedId: number, now: Date): Promise<boolean> {
  const { city } = ctx;
  const workday = city.calendar.dayEnd - city.calendar.dayStart;
  const step = d.step;
  const to = step.on === 'no_reaction' ? (step.reassign_to ?? (step.return_to_queue ? city.city.fallback_organisation : null)) : null;
  const told = await recipients(change.tx, t.organisation_id, step.notify, step.officials);
  await notifyStaff(change, ctx, told, {
    key: `escalation:${t.number}:${d.key}:${firedId}`,
    ticketId: t.id,
    template: `staff.${d.kind}`,
    text: (lang) => noticeText(ctx, t, d, to, lang, now, workday),
  });
  change.audit({
    action: 'ticket.escalated',
    entityType: 'ticket',
    entityId: t.number,
    data: { step: d.key, kind: d.kind, due_at: d.dueAt.toISOString(), rules: d.forecast?.rules, notified: told.length },
  });
  if (d.kind === 'at_risk') await change.tx.updateTable('tickets').set({ at_risk_at: now }).where('id', '=', t.id).execute();
  if (!to) return false;
  await move(change, ctx, t, step, to, now);
  return true;
}

function noticeText(ctx: Context, t: Ticket, d: DueStep, to: string | null, lang: Language, now: Date, workday: number): string {
  const tx = STAFF_TEXTS[lang];
  const f = ticketFacts(ctx, t, lang);
  switch (d.kind) {
    case 'at_risk': {
      const r = d.forecast as NonNullable<DueStep['forecast']>;
      return tx.atRisk({ ...f, left: span(r.remaining, r.clock, workday, lang), why: riskReason(r, workday, lang) });
    }
    case 'breach': {
      const clock = ticketClock(ctx.city.sla.targets, t);
      const late = t.resolution_due ? clockMinutes(ctx.city.calendar, clock, t.resolution_due, now) : 0;
      return tx.breach({ ...f, late: late > 0 ? span(late, clock, workday, lang) : '' });
    }
    case 'first_response_breach':
      return tx.firstResponse({ ...f, due: t.first_response_due ? humanDeadline(ctx.city, t.first_response_due) : tx.none });
    case 'no_reaction':
      return tx.returned({
        ...f,
        silent: silence(d.step, workday, lang),
        to: to && to !== ctx.city.city.fallback_organisation ? orgName(ctx.city, to, lang) : null,
      });
  }
}

/** How long the organisation stayed silent, in the step's own units ("4 раб. ч", "1 ч"). */
function silence(step: EscalationStep, workday: number, lang: Language): string {
  const a = step.after;
  if (!a) return '';
  if ('hours' in a) return span(a.hours * 60, 'calendar', workday, lang);
  if ('working_hours' in a) return span(a.working_hours * 60, 'working', workday, lang);
  return span(a.working_days * workday, 'working', workday, lang);
}

/** The return timer: back to the centre's queue (status new, operators assign it again) or to another organisation,
 * which must accept it afresh. Audited like any move; the new organisation's executors hear of it. */
async function move(change: Change, ctx: Context, t: Ticket, step: EscalationStep, to: string, now: Date) {
  const toQueue = !step.reassign_to;
  const updated = await change.tx
    .updateTable('tickets')
    .set({
      status: toQueue ? 'new' : 'assigned',
      organisation_id: to,
      assigned_at: toQueue ? null : now,
      accepted_at: null,
      updated_at: now,
      version: sql`version + 1`,
    })
    .where('id', '=', t.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  change.audit({
    action: toQueue ? 'ticket.returned_to_queue' : 'ticket.reassigned',
    entityType: 'ticket',
    entityId: t.number,
    data: { from: t.status, to: updated.status, organisation: { from: t.organisation_id, to }, reason: 'no_reaction', after: step.after },
  });
  if (toQueue) return;
  await notifyAssignment(change, ctx, updated);
  // The resident was told which organisation has it: they hear of the new one, as after an operator's assignment.
  const lang = (t.language as Language) ?? ctx.city.city.default_language;
  if ('status.assigned' in ctx.city.templates) {
    change.send({
      idempotencyKey: `ticket:${t.number}:${updated.version}:status.assigned`,
      channel: t.channel,
      ticketId: t.id,
      target: { thread: t.number, resident_id: t.resident_id },
      payload: {
        text: render(ctx.city, 'status.assigned', lang, { number: t.number, organisation: orgName(ctx.city, to, lang) }, t.category),
        language: lang,
        template: 'status.assigned',
      },
    });
  }
}
