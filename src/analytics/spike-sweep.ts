// Spikes → emerging incidents, the part that acts: on each tick, every category × district with enough messages in
// the last window is weighed against its expected rate (spikes.ts, from its own history and its category's); a
// significant excess is stored once (unique per category × district × window start, and quiet for a cooldown after),
// audited as `spike.detected`, and announced to the supervisors. An operator may then make an incident of the
// tickets behind it. Counts are of inbound, non-noise, triaged messages by when they arrived.
import { sql } from 'kysely';
import type { StaffUser } from '../auth/policies.js';
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { createByOperator } from '../incidents/commands.js';
import { commitChange, SYSTEM } from '../outbox/change.js';
import { categoryName } from '../outbox/templates.js';
import type { Sweep } from '../sla/ticker.js';
import { OPEN_STATUSES } from '../tickets/lifecycle.js';
import { notifyStaff, staffChannelsOn, supervisors } from '../tickets/notify-staff.js';
import { assess, expectWindow, HOUR, SPIKE_TEXTS, type SpikeFacts } from './spikes.js';

const MAX_MESSAGES = 500;

export function districtName(ctx: Context, id: string, lang: Language): string {
  return ctx.city.city.districts.find((d) => d.id === id)?.name[lang] ?? id;
}

export function spikeFacts(
  ctx: Context,
  a: {
    category: string;
    district: string;
    window_start: Date;
    window_end: Date;
    observed: number;
    expected: number;
    p_value: number;
    details: Record<string, number>;
  },
  lang: Language,
): SpikeFacts {
  return {
    category: categoryName(ctx.city, a.category, lang) || a.category,
    district: districtName(ctx, a.district, lang),
    windowHours: a.details.window_hours ?? Math.round((a.window_end.getTime() - a.window_start.getTime()) / HOUR),
    observed: a.observed,
    expected: a.expected,
    pValue: a.p_value,
    hourFactor: a.details.hour_factor ?? 1,
    seasonFactor: a.details.season_factor ?? 1,
  };
}

/** The inbound, triaged, non-noise messages that count: one category × district each. Inside a change, read through
 * its transaction: PGlite has one connection, which the transaction holds. */
const counted = (db: Pick<Context['db'], 'selectFrom'>) =>
  db
    .selectFrom('messages as m')
    .innerJoin('message_triage as t', 't.message_id', 'm.id')
    .where('m.direction', '=', 'in')
    .where('t.kind', '<>', 'noise')
    .where('t.category', 'is not', null)
    .where('t.district', 'is not', null);

/** Detects and stores the spikes of the window ending at `now`; returns how many new alerts it stored. */
export async function detectSpikes(ctx: Context, now: Date): Promise<number> {
  const cfg = ctx.city.analytics.spikes;
  const windowStart = new Date(now.getTime() - cfg.window_hours * HOUR);
  // The window's start on the hour: two ticks (or two processes) in one hour share the unique key.
  const keyStart = new Date(Math.floor(windowStart.getTime() / HOUR) * HOUR);
  const busy = await counted(ctx.db)
    .select([
      't.category',
      't.district',
      sql<number>`count(*)`.as('n'),
      sql<number>`count(DISTINCT coalesce(m.resident_id::text, 'm' || m.id::text))`.as('senders'),
    ])
    .where('m.received_at', '>', windowStart)
    .where('m.received_at', '<=', now)
    .groupBy(['t.category', 't.district'])
    .having(sql<boolean>`count(*) >= ${cfg.min_count}`)
    .execute();
  if (busy.length === 0) return 0;
  const historyEnd = keyStart.getTime();
  const historyStart = historyEnd - cfg.history_weeks * 168 * HOUR;
  const length = (historyEnd - historyStart) / HOUR;
  const categories = [...new Set(busy.map((b) => b.category as string))];
  const rows = await counted(ctx.db)
    .select(['t.category', 't.district', sql<number>`floor(extract(epoch from m.received_at) / 3600)`.as('hour'), sql<number>`count(*)`.as('n')])
    .where('t.category', 'in', categories)
    .where('m.received_at', '>=', new Date(historyStart))
    .where('m.received_at', '<', new Date(historyEnd))
    .groupBy(['t.category', 't.district', 'hour'])
    .execute();
  const series = new Map<string, Float64Array>();
  const add = (key: string, hour: number, n: number) => {
    let s = series.get(key);
    if (!s) {
      s = new Float64Array(length);
      series.set(key, s);
    }
    const i = hour - historyStart / HOUR;
    if (i >= 0 && i < length) s[i] = (s[i] as number) + n;
  };
  for (const r of rows) {
    add(`${r.category}|${r.district}`, Number(r.hour), Number(r.n));
    add(`${r.category}|*`, Number(r.hour), Number(r.n));
  }
  const offset = ctx.city.city.utc_offset_minutes;
  let stored = 0;
  for (const b of busy) {
    const category = b.category as string;
    const district = b.district as string;
    const empty = new Float64Array(length);
    const cell = { start: historyStart, counts: series.get(`${category}|${district}`) ?? empty };
    const whole = { start: historyStart, counts: series.get(`${category}|*`) ?? empty };
    const e = expectWindow(cell, whole, windowStart.getTime(), now.getTime(), cfg, offset);
    const a = assess(Number(b.n), Number(b.senders), e, cfg);
    if (!a.significant) continue;
    if (await store(ctx, { category, district, keyStart, windowStart, now, a })) stored++;
  }
  return stored;
}

async function store(
  ctx: Context,
  s: { category: string; district: string; keyStart: Date; windowStart: Date; now: Date; a: ReturnType<typeof assess> },
): Promise<boolean> {
  const cfg = ctx.city.analytics.spikes;
  return commitChange(ctx.db, SYSTEM, async (change) => {
    const { tx } = change;
    // Serialises detectors on this cell, so the cooldown check and the insert see each other.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`spike:${s.category}:${s.district}`}))`.execute(tx);
    const recent = await tx
      .selectFrom('spike_alerts')
      .select('id')
      .where('category', '=', s.category)
      .where('district', '=', s.district)
      .where('window_end', '>', new Date(s.now.getTime() - cfg.cooldown_hours * HOUR))
      .executeTakeFirst();
    if (recent) return false;
    const messages = await counted(tx)
      .select('m.id')
      .where('t.category', '=', s.category)
      .where('t.district', '=', s.district)
      .where('m.received_at', '>', s.windowStart)
      .where('m.received_at', '<=', s.now)
      .orderBy('m.received_at')
      .limit(MAX_MESSAGES)
      .execute();
    const details = {
      window_hours: cfg.window_hours,
      base_rate: s.a.baseRate,
      hour_factor: s.a.hourFactor,
      season_factor: s.a.seasonFactor,
      history_hours: s.a.historyHours,
    };
    const row = await tx
      .insertInto('spike_alerts')
      .values({
        category: s.category,
        district: s.district,
        window_start: s.keyStart,
        window_end: s.now,
        observed: s.a.observed,
        expected: s.a.expected,
        p_value: s.a.pValue,
        details: JSON.stringify(details),
        message_ids: messages.map((m) => Number(m.id)),
        detected_at: s.now,
      })
      .onConflict((oc) => oc.columns(['category', 'district', 'window_start']).doNothing())
      .returning(['id', 'window_start', 'window_end', 'observed', 'expected', 'p_value'])
      .executeTakeFirst();
    if (!row) return false;
    const id = Number(row.id);
    change.audit({
      action: 'spike.detected',
      entityType: 'spike',
      entityId: String(id),
      data: { category: s.category, district: s.district, observed: s.a.observed, expected: s.a.expected, p_value: s.a.pValue },
    });
    if (staffChannelsOn(ctx)) {
      const alert = { ...row, category: s.category, district: s.district, details };
      const link = `${ctx.settings.QALA_PUBLIC_URL.replace(/\/+$/, '')}/#/analytics/spikes`;
      await notifyStaff(change, ctx, await supervisors(tx), {
        key: `spike:${id}`,
        ticketId: null,
        template: 'staff.spike',
        text: (lang) => `${SPIKE_TEXTS[lang](spikeFacts(ctx, alert, lang))}\n${link}`,
      });
    }
    return true;
  });
}

export const spikeSweep: Sweep = { name: 'spikes', run: detectSpikes };

/** The open tickets behind an alert's messages (what an incident would gather). */
export async function ticketsBehind(ctx: Context, messageIds: readonly number[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('ticket_messages as tm')
    .innerJoin('tickets as t', 't.id', 'tm.ticket_id')
    .select('t.number')
    .distinct()
    .where('tm.message_id', 'in', [...messageIds])
    .where('t.status', 'in', [...OPEN_STATUSES])
    .orderBy('t.number')
    .execute();
  return rows.map((r) => r.number);
}

/** Makes an incident of the open tickets behind an alert (the incidents code checks the user may). */
export async function incidentFromSpike(ctx: Context, user: StaffUser, id: number, lang: Language): Promise<string> {
  const alert = await ctx.db.selectFrom('spike_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!alert) throw AppError.notFound('spike alert', String(id));
  if (alert.incident_id) throw AppError.conflict(`spike alert ${id} already became incident ${alert.incident_id}`);
  const tickets = await ticketsBehind(ctx, alert.message_ids.map(Number));
  const title = `${categoryName(ctx.city, alert.category, lang) || alert.category} — ${districtName(ctx, alert.district, lang)}`;
  const incident = await createByOperator(ctx, user, { tickets, title });
  await ctx.db.updateTable('spike_alerts').set({ incident_id: incident.id }).where('id', '=', id).where('incident_id', 'is', null).execute();
  return incident.id;
}
