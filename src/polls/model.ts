// Polls, the plain part: what a poll may hold (the zod schemas the API and the bot share), where a poll is in its
// life at a given time, the respondent key (a hash, never the identity), the results built on the one survey
// estimator (analytics/estimate.ts) and the small-cell suppression of what leaves the centre. No I/O here.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { districtNamesOf, type Estimate, estimateShares } from '../analytics/estimate.js';
import type { City } from '../config/load.js';
import type { Localized, PollOption } from '../store/schema.js';

export const MAX_OPTIONS = 10;
/** Public and exported counts below this many residents are not shown (issue 7's privacy rule). */
export const SMALL_CELL = 5;

const Text = z.string().trim().min(1).max(300);
export const PollText = z.object({ ru: Text, kk: Text, en: Text });

const Instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'an ISO 8601 date-time');
export const PollInput = z
  .object({
    question: PollText,
    options: z.array(PollText).min(2).max(MAX_OPTIONS),
    ask_district: z.boolean().default(true),
    opens_at: Instant.nullable().optional(),
    closes_at: Instant.nullable().optional(),
  })
  .refine((p) => !p.opens_at || !p.closes_at || p.opens_at < p.closes_at, { message: '`opens_at` must be before `closes_at`', path: ['opens_at'] });
export type PollInput = z.infer<typeof PollInput>;

/** The portal's respondent token: random, made and kept by the browser (localStorage). */
export const RespondentToken = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, '16 to 128 letters, digits, - or _');

export type PollStatus = 'draft' | 'open' | 'closed';
/** Status with the clock applied: an open poll before its window is scheduled, after it closed. */
export type PollPhase = 'draft' | 'scheduled' | 'open' | 'closed';

export interface PollRow {
  id: number;
  question: Localized;
  options: PollOption[];
  status: PollStatus;
  ask_district: boolean;
  opens_at: Date | null;
  closes_at: Date | null;
}

export function phaseOf(p: Pick<PollRow, 'status' | 'opens_at' | 'closes_at'>, now: Date): PollPhase {
  if (p.status !== 'open') return p.status;
  if (p.opens_at && now < p.opens_at) return 'scheduled';
  if (p.closes_at && now >= p.closes_at) return 'closed';
  return 'open';
}

/** Option ids are their positions ("1".."10"): short enough for Telegram's 64-byte callback data. */
export const optionsOf = (labels: Localized[]): PollOption[] => labels.map((label, i) => ({ id: String(i + 1), label }));

export type Channel = 'telegram' | 'web';
/** SHA-256 of who answered: the same person gives the same key, and the table never holds the identity itself. */
export const respondentKey = (channel: Channel, id: string) => createHash('sha256').update(`${channel}:${id}`).digest('hex');

export interface AnswerRow {
  option_id: string;
  district: string | null;
  channel: string;
}

/** The districts' populations from city.yaml: the targets of the weighting. */
export function districtPopulation(city: City): Record<string, number> {
  return Object.fromEntries(city.city.districts.filter((d) => d.population).map((d) => [d.id, d.population as number]));
}

/** A poll's respondents are volunteers, not people who post online: the caveat's source sentence for polls. */
const POLL_NOTE: Localized = {
  ru: 'Это ответы тех, кто сам решил ответить в боте или на портале, а не случайная выборка жителей.',
  kk: 'Бұл — тұрғындардың кездейсоқ іріктемесі емес, ботта немесе порталда өзі жауап беруді шешкендердің жауаптары.',
  en: 'These are the answers of people who chose to answer on the bot or the portal, not a random sample of residents.',
};

export interface PollResults {
  estimate: Estimate;
  caveat: Localized;
  by_district: { district: string | null; option_id: string; count: number }[];
}

/** Raw and district-weighted shares with 95% intervals, n_eff and the caveat: the estimator on these answers. */
export function pollResults(poll: Pick<PollRow, 'options'>, answers: AnswerRow[], city: City): PollResults {
  const estimate = estimateShares(
    answers.map((a) => ({ answer: a.option_id, district: a.district, channel: a.channel })),
    {
      answers: poll.options.map((o) => o.id),
      districtPopulation: districtPopulation(city),
      districtNames: districtNamesOf(city.city.districts),
      source: POLL_NOTE,
    },
  );
  const cells = new Map<string, { district: string | null; option_id: string; count: number }>();
  for (const a of answers) {
    const k = `${a.district ?? ''}\u0000${a.option_id}`;
    const c = cells.get(k) ?? { district: a.district, option_id: a.option_id, count: 0 };
    c.count += 1;
    cells.set(k, c);
  }
  return { estimate, caveat: estimate.caveat, by_district: [...cells.values()] };
}

/**
 * Which counts to hide: those under SMALL_CELL, and when exactly one is hidden, the next smallest as well (or the
 * one hidden count would follow from the total). Counts of 0 are not hidden: "nobody" reveals no one.
 */
export function suppressed(counts: number[], k = SMALL_CELL): boolean[] {
  const hide = counts.map((c) => c > 0 && c < k);
  if (hide.filter(Boolean).length === 1) {
    let next = -1;
    counts.forEach((c, i) => {
      if (!hide[i] && c > 0 && (next < 0 || c < (counts[next] as number))) next = i;
    });
    if (next >= 0) hide[next] = true;
  }
  return hide;
}

export interface PublicOption {
  id: string;
  label: Localized;
  /** Null when hidden: fewer than SMALL_CELL residents chose it (or it would reveal such a count). */
  count: number | null;
  share: number | null;
  ci: [number, number] | null;
}

/** What anyone may see of a poll's results: total n and, per option, the weighted share unless the cell is small. */
export function publicResults(poll: Pick<PollRow, 'options'>, results: PollResults) {
  const { estimate } = results;
  const counts = poll.options.map((o) => estimate.answers[o.id]?.count ?? 0);
  const enough = estimate.n >= SMALL_CELL;
  const hide = suppressed(counts);
  const options: PublicOption[] = poll.options.map((o, i) => {
    const shown = enough && !hide[i];
    const a = estimate.answers[o.id];
    return {
      id: o.id,
      label: o.label,
      count: shown ? (counts[i] ?? 0) : null,
      share: shown && a ? a.weighted.share : null,
      ci: shown && a ? a.weighted.ci : null,
    };
  });
  return { n: enough ? estimate.n : null, enough, small_cell: SMALL_CELL, options, caveat: results.caveat };
}
