// Opinion changes for the daily digest: for each active opinion question, the weighted share of each stance over the
// digest day's trailing 7 days against the 7 days before, each with its 95% interval from the one survey estimator
// (estimate.ts), and whether the change is larger than the two intervals allow. The comparison is plain functions
// over plain rows; `gatherOpinionChanges` reads the two weeks' stances from the store. Shares only: no text, no one.
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { districtNamesOf, estimateShares, type Interval, type Lang3, SMALL_SAMPLE } from './estimate.js';
import { populationOf } from './opinion.js';
import type { Period } from './situation.js';
import { STANCES, type Stance } from './stance.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Below this many voices (residents, one voice each) in either week a question shows "too few" instead of shares:
 * the estimator's small-sample line, below which the intervals are too wide to compare. */
export const MIN_VOICES = SMALL_SAMPLE;

export type WeekRow = { stance: Stance; district: string | null; channel: string; resident: string | null };

export type Direction = 'up' | 'down' | null;
export interface StanceChange {
  stance: Stance;
  previous: Interval;
  current: Interval;
  /** current − previous share, in share points (0.1 = ten percentage points). */
  change: number;
  /** Set when the change is larger than the intervals allow (see `changeDirection`); null: within the noise. */
  direction: Direction;
}
export interface QuestionChange {
  previous_n: number;
  current_n: number;
  enough: boolean;
  /** Empty when there are too few voices in either week: no numbers are shown then. */
  stances: StanceChange[];
}

/**
 * Whether the current share differs from the previous one by more than their 95% intervals allow. Two intervals may
 * overlap and the shares still differ: we take the difference's interval by Newcombe's hybrid score method (1998,
 * method 10), built from the two Wilson intervals — for d = p₁ − p₀ it runs from d − √((p₁ − l₁)² + (u₀ − p₀)²) to
 * d + √((u₁ − p₁)² + (p₀ − l₀)²) — and flag the change when that interval leaves out zero. Said with the overlap:
 * a rise is flagged when the overlap u₀ − l₁ is smaller than a + b − √(a² + b²), with a = p₁ − l₁ and b = u₀ − p₀
 * (mirrored for a fall). The intervals are the weighted ones (Wilson on Kish's n_eff), so unequal weights widen them.
 */
export function changeDirection(previous: Interval, current: Interval): Direction {
  const [l0, u0] = previous.ci;
  const [l1, u1] = current.ci;
  const p0 = previous.share;
  const p1 = current.share;
  const d = p1 - p0;
  const low = d - Math.hypot(p1 - l1, u0 - p0);
  const high = d + Math.hypot(u1 - p1, p0 - l0);
  if (low > 0) return 'up';
  if (high < 0) return 'down';
  return null;
}

/** Compares one question's two weeks. Several messages from one resident in a week share one voice, as on the tab. */
export function compareWeeks(
  previous: readonly WeekRow[],
  current: readonly WeekRow[],
  o: { districtPopulation: Record<string, number>; districtNames?: Record<string, Lang3>; channelWeights?: Record<string, number> | null },
): QuestionChange {
  const estimate = (rows: readonly WeekRow[]) =>
    estimateShares(
      rows.map((r) => ({ answer: r.stance, district: r.district, channel: r.channel, ...(r.resident ? { weightKey: r.resident } : {}) })),
      {
        answers: [...STANCES],
        districtPopulation: o.districtPopulation,
        ...(o.districtNames ? { districtNames: o.districtNames } : {}),
        ...(o.channelWeights ? { channelWeights: o.channelWeights } : {}),
      },
    );
  const before = estimate(previous);
  const now = estimate(current);
  const enough = before.n >= MIN_VOICES && now.n >= MIN_VOICES;
  const stances = enough
    ? STANCES.map((stance) => {
        const p = before.answers[stance]!.weighted;
        const c = now.answers[stance]!.weighted;
        return { stance, previous: p, current: c, change: Math.round((c.share - p.share) * 10_000) / 10_000, direction: changeDirection(p, c) };
      })
    : [];
  return { previous_n: before.n, current_n: now.n, enough, stances };
}

export interface DigestOpinion extends QuestionChange {
  id: number;
  question: string;
}

/** The two weeks compared, as the city's dates: the 7 days ending with the digest day, and the 7 before them. */
export function opinionWeeks(period: Period): { previous: { from: Date; to: Date }; current: { from: Date; to: Date } } {
  const end = period.to.getTime();
  return { previous: { from: new Date(end - 2 * WEEK), to: new Date(end - WEEK) }, current: { from: new Date(end - WEEK), to: period.to } };
}

/** Every active question's change over the two weeks before the end of `period`, titled in `language`. */
export async function gatherOpinionChanges(ctx: Context, period: Period, language: Language): Promise<DigestOpinion[]> {
  const questions = await ctx.db
    .selectFrom('opinion_questions')
    .select(['id', 'title', 'channel_weights'])
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  const weeks = opinionWeeks(period);
  const districtPopulation = populationOf(ctx);
  const out: DigestOpinion[] = [];
  for (const q of questions) {
    const rows = await ctx.db
      .selectFrom('opinion_matches as m')
      .innerJoin('messages as g', 'g.id', 'm.message_id')
      .leftJoin('message_triage as t', 't.message_id', 'g.id')
      .select(['m.stance', 'g.channel', 'g.resident_id', 'g.received_at', 't.district'])
      .where('m.question_id', '=', q.id)
      .where('g.received_at', '>=', weeks.previous.from)
      .where('g.received_at', '<', weeks.current.to)
      .execute();
    const week = (w: { from: Date; to: Date }): WeekRow[] =>
      rows
        .filter((r) => {
          const t = new Date(r.received_at).getTime();
          return t >= w.from.getTime() && t < w.to.getTime();
        })
        .map((r) => ({
          stance: r.stance as Stance,
          district: r.district ?? null,
          channel: r.channel,
          resident: r.resident_id === null ? null : String(r.resident_id),
        }));
    const change = compareWeeks(week(weeks.previous), week(weeks.current), {
      districtPopulation,
      districtNames: districtNamesOf(ctx.city.city.districts),
      channelWeights: q.channel_weights,
    });
    out.push({ id: Number(q.id), question: q.title[language] || q.title.ru, ...change });
  }
  return out;
}
