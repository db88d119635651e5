// The daily summary: once a day, at the configured local time (working days only, if so configured), each
// organisation's heads and executors get its figures — new in the last 24 hours, open, waiting for the resident,
// at risk, overdue. Keyed by (organisation, local date) in `daily_summaries`, written in the same commitChange as the
// notices: sent once a day, and a centre that was down at 09:00 sends it when it is back. An organisation without
// recipients at that moment is marked done for the day all the same (nobody to tell; nobody told later by surprise).
import { sql } from 'kysely';
import { STAFF_TEXTS } from '../channels/telegram/staff-texts.js';
import type { Context } from '../context.js';
import { commitChange } from '../outbox/change.js';
import { orgName } from '../outbox/templates.js';
import { notifyStaff, recipients, staffChannelsOn } from '../tickets/notify-staff.js';
import { isWorkingDay, localDate } from './calendar.js';
import { RUNNING } from './chains.js';
import { forecast } from './forecast.js';
import { resolutionMedians } from './history.js';
import type { Sweep } from './ticker.js';
import { localText } from './view.js';

const OPEN = [...RUNNING, 'waiting'];
const DAY = 86_400_000;

export const dailySummarySweep: Sweep = { name: 'daily-summary', run: runDailySummary };

/** Whether the summary of the local day containing `now` is due: its time has come (on a working day, if asked). */
export function summaryDue(ctx: Context, now: Date): string | null {
  const { calendar: cal } = ctx.city;
  const cfg = ctx.city.escalation.daily_summary;
  const date = localDate(cal, now);
  if (cfg.working_days_only && !isWorkingDay(cal, date)) return null;
  const minutes = Math.floor(((((now.getTime() + cal.utcOffsetMinutes * 60_000) % DAY) + DAY) % DAY) / 60_000);
  const at = Number(cfg.at.slice(0, 2)) * 60 + Number(cfg.at.slice(3, 5));
  return minutes >= at ? date : null;
}

/** Sends today's summaries not sent yet; returns how many organisations got one. */
export async function runDailySummary(ctx: Context, now: Date): Promise<number> {
  const date = summaryDue(ctx, now);
  if (!date) return 0;
  const roles = ctx.city.escalation.daily_summary.notify.flatMap((r) => (r === 'executors' ? ['executor'] : r === 'heads' ? ['head'] : []));
  const supervisorsToo = ctx.city.escalation.daily_summary.notify.includes('supervisors');
  // Organisations nobody would hear about (no staff channel on, or no head or executor) are marked done in one
  // statement: the building registry brings a thousand housing companies.
  const nobody = !staffChannelsOn(ctx)
    ? sql`TRUE`
    : supervisorsToo
      ? sql`FALSE`
      : sql`NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id AND m.role IN (${sql.join(roles.length ? roles : ['-'])}))`;
  await sql`
    INSERT INTO daily_summaries (organisation_id, local_date, sent_at, counts)
    SELECT o.id, ${date}, ${now}, '{}'::jsonb FROM organisations o WHERE o.active AND ${nobody}
    ON CONFLICT DO NOTHING`.execute(ctx.db);
  const pending = await ctx.db
    .selectFrom('organisations')
    .select('id')
    .where('active', '=', true)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('daily_summaries as d')
            .select('d.organisation_id')
            .whereRef('d.organisation_id', '=', 'organisations.id')
            .where('d.local_date', '=', date),
        ),
      ),
    )
    .orderBy('id')
    .execute();
  let sent = 0;
  for (const o of pending) {
    try {
      sent += await summarise(ctx, o.id, date, now);
    } catch (err) {
      ctx.log.error({ err, organisation: o.id }, 'daily summary failed');
    }
  }
  return sent;
}

export interface SummaryCounts {
  created: number;
  open: number;
  paused: number;
  atRisk: number;
  overdue: number;
}

/** The figures of one organisation at `now`. */
export async function summaryCounts(ctx: Context, organisationId: string, now: Date): Promise<SummaryCounts> {
  const { city } = ctx;
  const rows = await ctx.db
    .selectFrom('tickets')
    .select(['status', 'category', 'urgency', 'created_at', 'assigned_at', 'resolution_due', 'paused_at', 'paused_minutes'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('status', 'in', OPEN), eb('created_at', '>', new Date(now.getTime() - DAY))]))
    .execute();
  const medians = await resolutionMedians(ctx, now);
  const c: SummaryCounts = { created: 0, open: 0, paused: 0, atRisk: 0, overdue: 0 };
  for (const t of rows) {
    const reached = t.assigned_at ?? t.created_at;
    if (reached.getTime() > now.getTime() - DAY && t.created_at.getTime() <= now.getTime()) c.created++;
    if (!OPEN.includes(t.status)) continue;
    c.open++;
    if (t.status === 'waiting' || t.paused_at) {
      c.paused++;
      continue;
    }
    if (t.resolution_due && t.resolution_due.getTime() <= now.getTime()) c.overdue++;
    else if (forecast(city.calendar, city.sla.targets, city.escalation.at_risk, t, now, medians.get(organisationId, t.category))?.atRisk) c.atRisk++;
  }
  return c;
}

async function summarise(ctx: Context, organisationId: string, date: string, now: Date): Promise<number> {
  const cfg = ctx.city.escalation.daily_summary;
  const counts = await summaryCounts(ctx, organisationId, now);
  return commitChange(ctx.db, { type: 'system', id: 'daily-summary' }, async (change) => {
    const row = await change.tx
      .insertInto('daily_summaries')
      .values({ organisation_id: organisationId, local_date: date, sent_at: now, counts: JSON.stringify(counts) })
      .onConflict((oc) => oc.columns(['organisation_id', 'local_date']).doNothing())
      .returning('organisation_id')
      .executeTakeFirst();
    if (!row) return 0; // another worker got here first
    const told = await recipients(change.tx, organisationId, cfg.notify, [], { headsAbove: false });
    const link = `${ctx.settings.QALA_PUBLIC_URL.replace(/\/+$/, '')}/#/staff`;
    await notifyStaff(change, ctx, told, {
      key: `summary:${organisationId}:${date}`,
      ticketId: null,
      template: 'staff.daily_summary',
      text: (lang) =>
        STAFF_TEXTS[lang].summary({
          organisation: orgName(ctx.city, organisationId, lang) || organisationId,
          date: localText(ctx.city, now).slice(0, 10),
          ...counts,
          link,
        }),
    });
    return told.length > 0 ? 1 : 0;
  });
}
