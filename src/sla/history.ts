// How long each organisation usually takes to resolve each category: the median time from receipt to resolution
// over its tickets resolved in the configured window, for the "at risk" history rule. One aggregate query, kept
// for a few minutes per process (the figure moves slowly and the sweep runs every few seconds).
import { sql } from 'kysely';
import type { Context } from '../context.js';
import type { History } from './forecast.js';

const KEEP_MS = 10 * 60_000;

export interface Medians {
  get(organisation: string | null, category: string | null): History | null;
  /** The longest median of all, in minutes (0 without history): how far ahead the sweep must look. */
  longest: number;
}

const cache = new WeakMap<Context, { at: number; medians: Medians }>();

export async function resolutionMedians(ctx: Context, now: Date): Promise<Medians> {
  const rule = ctx.city.escalation.at_risk.history;
  if (!rule) return { get: () => null, longest: 0 };
  const kept = cache.get(ctx);
  if (kept && Math.abs(now.getTime() - kept.at) < KEEP_MS) return kept.medians;
  const since = new Date(now.getTime() - rule.window_days * 86_400_000);
  const { rows } = await sql<{ organisation_id: string; category: string; n: number | string; median_s: number | string }>`
    SELECT organisation_id, category, count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) AS median_s
    FROM tickets
    WHERE resolved_at IS NOT NULL AND resolved_at >= ${since} AND resolved_at <= ${now}
      AND organisation_id IS NOT NULL AND category IS NOT NULL
    GROUP BY organisation_id, category
    HAVING count(*) >= ${rule.min_closed}`.execute(ctx.db);
  const map = new Map<string, History>();
  for (const r of rows) map.set(`${r.organisation_id}|${r.category}`, { medianMinutes: Number(r.median_s) / 60, closed: Number(r.n) });
  const medians: Medians = {
    get: (o, c) => (o && c ? (map.get(`${o}|${c}`) ?? null) : null),
    longest: Math.max(0, ...[...map.values()].map((h) => h.medianMinutes)),
  };
  cache.set(ctx, { at: now.getTime(), medians });
  return medians;
}
