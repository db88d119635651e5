// The end of the resident's loop: a resolved ticket whose confirmation window has passed with no answer from the
// resident is closed by the system, audited as such, and the resident is told in their channel and language.
// Each ticket closes in its own commitChange under a row lock, re-checked inside it, so two sweeps running at once
// (two workers, or one late tick after another) close it once and send one message.
import { sql } from 'kysely';
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { followAfter } from '../incidents/follow.js';
import { commitChange } from '../outbox/change.js';
import { categoryName, orgName, render } from '../outbox/templates.js';
import type { Sweep } from '../sla/ticker.js';
import { windowCutoff, windowOpen } from './confirm-window.js';

const ACTOR = { type: 'system', id: 'resident-loop' } as const;
const TEMPLATE = 'status.auto_closed';
/** At most this many tickets per tick: a backlog (after downtime) is worked off over a few ticks. */
const BATCH = 200;

/** Closes one ticket if it is still resolved and its window has passed; true when it did. */
async function autoClose(ctx: Context, ticketId: number, now: Date): Promise<boolean> {
  const days = ctx.city.city.resident_loop.confirm_window_days;
  return commitChange(ctx.db, ACTOR, async (change) => {
    const t = await change.tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirst();
    // Confirmed, reopened or closed by someone else since the query: nothing to do.
    if (!t || t.status !== 'resolved' || !t.resolved_at || windowOpen(ctx.city.calendar, t.resolved_at, days, now)) return false;
    const updated = await change.tx
      .updateTable('tickets')
      .set({ status: 'closed', closed_at: now, updated_at: now, version: sql`version + 1` })
      .where('id', '=', t.id)
      .returning(['version'])
      .executeTakeFirstOrThrow();
    change.audit({
      action: 'ticket.close',
      entityType: 'ticket',
      entityId: t.number,
      data: { from: 'resolved', to: 'closed', by: 'system', auto: true, reason: `no answer from the resident within ${days} days` },
    });
    const lang = (t.language as Language) ?? ctx.city.city.default_language;
    // A city without its own wording for this still tells the resident the ticket is closed.
    const template = TEMPLATE in ctx.city.templates ? TEMPLATE : 'status.closed';
    if (template in ctx.city.templates) {
      change.send({
        idempotencyKey: `ticket:${t.number}:${updated.version}:${template}`,
        channel: t.channel,
        ticketId: t.id,
        target: { thread: t.number, resident_id: t.resident_id },
        payload: {
          text: render(
            ctx.city,
            template,
            lang,
            {
              number: t.number,
              organisation: orgName(ctx.city, t.organisation_id, lang),
              category: categoryName(ctx.city, t.category, lang),
            },
            t.category,
          ),
          language: lang,
          template,
        },
      });
    }
    return true;
  });
}

/** Resolved tickets whose window has passed by `now`, then each closed on its own. */
export const autoCloseSweep: Sweep = {
  name: 'resident-loop.auto-close',
  async run(ctx, now) {
    const loop = ctx.city.city.resident_loop;
    if (!loop.auto_close) return 0;
    const due = await ctx.db
      .selectFrom('tickets')
      .select(['id', 'incident_id'])
      .where('status', '=', 'resolved')
      .where('resolved_at', '<', windowCutoff(ctx.city.calendar, now, loop.confirm_window_days))
      .orderBy('resolved_at')
      .limit(BATCH)
      .execute();
    let closed = 0;
    for (const { id, incident_id } of due) {
      if (!(await autoClose(ctx, id, now))) continue;
      closed++;
      // The last ticket of an incident closed: the incident closes too (incidents/follow.ts; its sweep retries).
      await followAfter(ctx, incident_id, now);
    }
    return closed;
  },
};
