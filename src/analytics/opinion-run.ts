// An opinion question as data and the estimate over a set of read messages: what the server's endpoint and the
// `qala opinion` command share. The question's shape (zod) is the one the API accepts and the CLI's question file
// holds; the summary (estimate, weekly trend, quotes) is computed here over plain rows, with no database.
import { z } from 'zod';
import { redactPersonalData } from '../privacy.js';
import { type Estimate, estimateShares, type Lang3 } from './estimate.js';
import { STANCES, type Stance } from './stance.js';

const text = z.string().trim().min(1).max(2000);
export const QuestionSpec = z.object({
  title: z.union([
    z.string().trim().min(1).max(200),
    z.object({ ru: z.string().max(200), kk: z.string().max(200), en: z.string().max(200).optional() }),
  ]),
  keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(100),
  examples: z.object({
    for: z.array(text).max(50).default([]),
    against: z.array(text).max(50).default([]),
    neutral: z.array(text).max(50).default([]),
  }),
  /** Target share of each channel among the residents described; without it only districts are weighted. */
  channel_weights: z.record(z.string(), z.number().positive()).optional(),
});
export type QuestionSpec = z.infer<typeof QuestionSpec>;

export const titleOf = (t: QuestionSpec['title']) =>
  typeof t === 'string' ? { ru: t, kk: t, en: t } : { ru: t.ru || t.kk, kk: t.kk || t.ru, en: t.en || t.ru || t.kk };

export const examplesOf = (spec: QuestionSpec) => STANCES.flatMap((stance) => spec.examples[stance].map((t) => ({ stance, text: t })));

/** One message read for the question. `resident` groups one person's messages into one voice (never shown). */
export type ReadMessage = {
  id?: number;
  text: string;
  district: string | null;
  channel: string;
  time: Date;
  stance: Stance;
  sentiment?: string | null;
  score: number;
  confidence?: number;
  resident?: string | null;
};

export type OpinionSummary = {
  estimate: Estimate;
  trend: { week: string; n: number; shares: Record<Stance, number> }[];
  quotes: Record<Stance, { id?: number; text: string; channel: string; district: string | null; week: string; score: number }[]>;
  sentiment: Record<string, number>;
};

/** The Monday (city time) that starts the week of `t`, as YYYY-MM-DD. */
export function weekOf(t: Date, offsetMinutes: number): string {
  const local = new Date(t.getTime() + offsetMinutes * 60_000);
  const dow = (local.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - dow)).toISOString().slice(0, 10);
}

export function summarise(
  rows: readonly ReadMessage[],
  o: {
    districtPopulation: Record<string, number>;
    districtNames?: Record<string, Lang3>;
    channelWeights?: Record<string, number>;
    offsetMinutes: number;
    quotes?: number;
  },
): OpinionSummary {
  const estimate = estimateShares(
    rows.map((r) => ({ answer: r.stance, district: r.district, channel: r.channel, ...(r.resident ? { weightKey: r.resident } : {}) })),
    {
      answers: [...STANCES],
      districtPopulation: o.districtPopulation,
      ...(o.districtNames ? { districtNames: o.districtNames } : {}),
      ...(o.channelWeights ? { channelWeights: o.channelWeights } : {}),
    },
  );
  const weeks = new Map<string, ReadMessage[]>();
  for (const r of rows) {
    const w = weekOf(r.time, o.offsetMinutes);
    weeks.set(w, [...(weeks.get(w) ?? []), r]);
  }
  const trend = [...weeks]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, rs]) => ({
      week,
      n: rs.length,
      shares: Object.fromEntries(STANCES.map((s) => [s, Math.round((rs.filter((r) => r.stance === s).length / rs.length) * 1000) / 1000])) as Record<
        Stance,
        number
      >,
    }));
  // Representative: the most relevant and most confidently read, one per resident, redacted for display.
  const quotes = Object.fromEntries(
    STANCES.map((s) => {
      const seen = new Set<string>();
      const picked = rows
        .filter((r) => r.stance === s)
        .sort((a, b) => b.score + (b.confidence ?? 0) - (a.score + (a.confidence ?? 0)))
        .filter((r) => {
          if (!r.resident) return true;
          if (seen.has(r.resident)) return false;
          seen.add(r.resident);
          return true;
        })
        .slice(0, o.quotes ?? 3)
        .map((r) => ({
          ...(r.id !== undefined ? { id: r.id } : {}),
          text: redactPersonalData(r.text).slice(0, 400),
          channel: r.channel,
          district: r.district,
          week: weekOf(r.time, o.offsetMinutes),
          score: r.score,
        }));
      return [s, picked];
    }),
  ) as OpinionSummary['quotes'];
  const sentiment: Record<string, number> = {};
  for (const r of rows) if (r.sentiment) sentiment[r.sentiment] = (sentiment[r.sentiment] ?? 0) + 1;
  return { estimate, trend, quotes, sentiment };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The estimate as a plain text table (the CLI's default output). */
export function estimateTable(e: Estimate, lang: 'ru' | 'kk' | 'en' = 'en'): string {
  const lines = [
    `n = ${e.n}   effective n = ${e.effective_n}   weighting: ${e.weighting}${e.small_sample ? '   (small sample)' : ''}`,
    '',
    `${'stance'.padEnd(9)}${'count'.padStart(7)}   ${'raw share [95% CI]'.padEnd(28)}weighted share [95% CI]`,
  ];
  for (const [answer, a] of Object.entries(e.answers)) {
    const raw = `${pct(a.raw.share)} [${pct(a.raw.ci[0])}, ${pct(a.raw.ci[1])}]`;
    const wt = `${pct(a.weighted.share)} [${pct(a.weighted.ci[0])}, ${pct(a.weighted.ci[1])}]`;
    lines.push(`${answer.padEnd(9)}${String(a.count).padStart(7)}   ${raw.padEnd(28)}${wt}`);
  }
  lines.push('', 'district      n   population share   sample share   weight');
  for (const d of e.cells.districts)
    lines.push(
      `${d.district.padEnd(12)}${String(d.n).padStart(3)}   ${pct(d.population_share).padStart(16)}   ${pct(d.sample_share).padStart(12)}   ${d.weight}`,
    );
  if (e.unknown_district) lines.push(`${'(unknown)'.padEnd(12)}${String(e.unknown_district).padStart(3)}`);
  lines.push('', 'channel       n   sample share   target share');
  for (const c of e.cells.channels)
    lines.push(
      `${c.channel.padEnd(12)}${String(c.n).padStart(3)}   ${pct(c.sample_share).padStart(12)}   ${c.target_share === null ? '-' : pct(c.target_share)}`,
    );
  lines.push('', e.caveat[lang]);
  return lines.join('\n');
}
