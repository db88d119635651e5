// Spike detection, the pure core: for one category × district, the rate of messages to expect in a window (a base
// rate × an hour-of-week profile × the season's level), the chance of seeing as many as arrived by that rate alone
// (a Poisson or negative-binomial tail), and the words that explain an alert. No database and no clock here: the
// sweep (spike-sweep.ts), the replay bench (bench/spikes.ts) and the tests all feed it arrays of hourly counts.
import type { Language, SpikesConfig } from '../config/schema.js';
import { rng } from '../triage/model/random.js';

export const HOUR = 3_600_000;
const WEEK_HOURS = 168;
/** Prior strength of the profile (in messages per hour-of-week slot) and of the level (in hours of history). */
const PROFILE_PRIOR = 4;
const SLOT_PRIOR = 10;
const LEVEL_PRIOR_HOURS = 168;
/** The lowest hourly rate ever expected: a quiet cell is not "impossible to hear from". */
const FLOOR_RATE = 0.01;

/** Hourly counts from `start` (the start of an hour, ms since the epoch), one entry per hour. */
export interface HourlySeries {
  start: number;
  counts: ArrayLike<number>;
}

/** 0 = Monday 00:00–01:00 local time … 167 = Sunday 23:00–24:00. */
export function hourOfWeek(ms: number, utcOffsetMinutes: number): number {
  const local = ms + utcOffsetMinutes * 60_000;
  const day = (new Date(local).getUTCDay() + 6) % 7;
  return day * 24 + new Date(local).getUTCHours();
}

export interface Expectation {
  /** Messages expected in the window. */
  expected: number;
  /** The cell's long-run hourly rate over the history. */
  baseRate: number;
  /** The window's hour-of-week factor (1 = an average hour of the week). */
  hourFactor: number;
  /** The season: the recent level against the long-run rate (1 = as usual). */
  seasonFactor: number;
  /** Hours of history the expectation rests on. */
  historyHours: number;
}

/** Sum by hour-of-week slot and how many hours of each slot the series covers. */
function bySlot(s: HourlySeries, offset: number): { sums: Float64Array; hours: Float64Array; total: number } {
  const sums = new Float64Array(WEEK_HOURS);
  const hours = new Float64Array(WEEK_HOURS);
  let total = 0;
  const first = hourOfWeek(s.start, offset);
  for (let i = 0; i < s.counts.length; i++) {
    const slot = (first + i) % WEEK_HOURS;
    const n = s.counts[i] as number;
    sums[slot] = (sums[slot] as number) + n;
    hours[slot] = (hours[slot] as number) + 1;
    total += n;
  }
  return { sums, hours, total };
}

/** Hour-of-day × day-of-week factors (24 + 7 numbers, each from many hours): the smooth shape of a week. */
function factorised(s: ReturnType<typeof bySlot>): Float64Array {
  const day = new Float64Array(7);
  const dayHours = new Float64Array(7);
  const hour = new Float64Array(24);
  const hourHours = new Float64Array(24);
  for (let k = 0; k < WEEK_HOURS; k++) {
    const d = Math.floor(k / 24);
    const n = s.sums[k] as number;
    const h = s.hours[k] as number;
    day[d] = (day[d] as number) + n;
    dayHours[d] = (dayHours[d] as number) + h;
    hour[k % 24] = (hour[k % 24] as number) + n;
    hourHours[k % 24] = (hourHours[k % 24] as number) + h;
  }
  const hoursAll = dayHours.reduce((a, b) => a + b, 0);
  const mean = s.total / Math.max(1, hoursAll);
  const f = new Float64Array(WEEK_HOURS);
  const factor = (n: number, h: number) => (n + PROFILE_PRIOR) / (mean * h + PROFILE_PRIOR);
  for (let k = 0; k < WEEK_HOURS; k++) {
    const d = Math.floor(k / 24);
    f[k] = factor(day[d] as number, dayHours[d] as number) * factor(hour[k % 24] as number, hourHours[k % 24] as number);
  }
  return f;
}

/** Hour-of-week factors (mean ≈ 1), each slot shrunk toward `prior` (by default the series' own smooth weekly shape)
 * when its counts are few: twelve Friday 20:00s are too few to say that hour differs from its neighbours. */
function profileOf(s: ReturnType<typeof bySlot>, length: number, prior = factorised(s)): Float64Array {
  const mean = s.total / Math.max(1, length);
  const f = new Float64Array(WEEK_HOURS);
  for (let k = 0; k < WEEK_HOURS; k++) {
    const p = prior[k] as number;
    const expectedHere = mean * (s.hours[k] as number) * p;
    f[k] = (p * ((s.sums[k] as number) + SLOT_PRIOR)) / (expectedHere + SLOT_PRIOR);
  }
  return f;
}

/**
 * What to expect in [windowStart, windowEnd) for a cell, from its own history and its category's city-wide history
 * (both hourly series ending at the window's start). A sparse cell borrows its profile and season from its category.
 */
export function expectWindow(
  cell: HourlySeries,
  category: HourlySeries,
  windowStart: number,
  windowEnd: number,
  cfg: Pick<SpikesConfig, 'level_days'>,
  utcOffsetMinutes: number,
): Expectation {
  const H = cell.counts.length;
  const cat = bySlot(category, utcOffsetMinutes);
  const catProfile = profileOf(cat, category.counts.length);
  const own = bySlot(cell, utcOffsetMinutes);
  const profile = profileOf(own, H, catProfile);
  const baseRate = own.total / Math.max(1, H);
  // Season: the category's last `level_days` against its long run (shared by its districts, so a sparse district
  // follows its category's season), then the cell's own recent level shrunk toward that.
  const recent = Math.min(H, cfg.level_days * 24);
  const levelOf = (s: HourlySeries, f: Float64Array, hours: number) => {
    let n = 0;
    let weight = 0;
    const first = hourOfWeek(s.start, utcOffsetMinutes);
    for (let i = s.counts.length - hours; i < s.counts.length; i++) {
      n += s.counts[i] as number;
      weight += f[(first + i) % WEEK_HOURS] as number;
    }
    return { n, weight };
  };
  const catRecent = levelOf(category, catProfile, Math.min(category.counts.length, cfg.level_days * 24));
  const catRate = cat.total / Math.max(1, category.counts.length);
  const catSeason = catRate > 0 && catRecent.weight > 0 ? (catRecent.n + PROFILE_PRIOR) / (catRate * catRecent.weight + PROFILE_PRIOR) : 1;
  const mine = levelOf(cell, profile, recent);
  const level = (mine.n + LEVEL_PRIOR_HOURS * baseRate * catSeason) / (mine.weight + LEVEL_PRIOR_HOURS);
  let expected = 0;
  let factor = 0;
  let hours = 0;
  for (let t = windowStart; t < windowEnd; t += HOUR) {
    const part = Math.min(1, (windowEnd - t) / HOUR);
    const f = profile[hourOfWeek(t, utcOffsetMinutes)] as number;
    expected += part * Math.max(FLOOR_RATE, level * f);
    factor += part * f;
    hours += part;
  }
  return {
    expected,
    baseRate,
    hourFactor: hours > 0 ? factor / hours : 1,
    seasonFactor: baseRate > 0 ? level / baseRate : catSeason,
    historyHours: H,
  };
}

// ---- significance ----

/** ln Γ(x) for x > 0 (Lanczos, g = 7): enough digits for tail probabilities down to 1e-300. */
export function lnGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012,
    9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * P(X ≥ k) for X with mean `mean`: Poisson when `dispersion` is 0, else negative binomial with variance
 * mean·(1 + dispersion·mean) (messages come in clumps, so the plain Poisson is too easily surprised).
 * Summed upward from k, so tiny probabilities keep their digits.
 */
export function tailProbability(k: number, mean: number, dispersion = 0): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  let logP: number;
  let ratio: (j: number) => number;
  if (dispersion <= 0) {
    logP = -mean + k * Math.log(mean) - lnGamma(k + 1);
    ratio = (j) => mean / (j + 1);
  } else {
    const r = 1 / dispersion;
    const q = mean / (r + mean);
    logP = lnGamma(k + r) - lnGamma(r) - lnGamma(k + 1) + r * Math.log(r / (r + mean)) + k * Math.log(q);
    ratio = (j) => ((j + r) / (j + 1)) * q;
  }
  let term = Math.exp(logP);
  let sum = 0;
  for (let j = k; j < k + 100_000; j++) {
    sum += term;
    term *= ratio(j);
    if (term < sum * 1e-15 || term === 0) break;
  }
  return Math.min(1, sum);
}

export interface Assessment extends Expectation {
  observed: number;
  ratio: number;
  pValue: number;
  significant: boolean;
}

/** Whether `observed` messages (from `senders` different people) against the expectation make an alert. */
export function assess(
  observed: number,
  senders: number,
  e: Expectation,
  cfg: Pick<SpikesConfig, 'min_count' | 'min_residents' | 'p_value' | 'dispersion'>,
): Assessment {
  const pValue = tailProbability(observed, e.expected, cfg.dispersion);
  const significant = observed >= cfg.min_count && senders >= cfg.min_residents && pValue < cfg.p_value;
  return { ...e, observed, ratio: e.expected > 0 ? observed / e.expected : Number.POSITIVE_INFINITY, pValue, significant };
}

// ---- replay over one series (the bench and the tests) ----

export interface ReplayAlert {
  /** Index of the hour at whose end the alert fired. */
  hour: number;
  assessment: Assessment;
}

/**
 * Runs the detector at the end of every hour of `s` from `from` on, as the sweep would, with the series' own past as
 * history (the category's is the same series: a one-cell city). Each alert starts a cooldown.
 */
export function replaySeries(s: HourlySeries, cfg: SpikesConfig, utcOffsetMinutes: number, from = cfg.history_weeks * WEEK_HOURS): ReplayAlert[] {
  const alerts: ReplayAlert[] = [];
  let quietUntil = -1;
  const counts = Array.from(s.counts);
  const historyLength = cfg.history_weeks * WEEK_HOURS;
  for (let end = Math.max(from, cfg.window_hours + 1); end <= counts.length; end++) {
    if (end < quietUntil) continue;
    const windowStart = end - cfg.window_hours;
    const hStart = Math.max(0, windowStart - historyLength);
    const history: HourlySeries = { start: s.start + hStart * HOUR, counts: counts.slice(hStart, windowStart) };
    let observed = 0;
    for (let i = windowStart; i < end; i++) observed += counts[i] as number;
    if (observed < cfg.min_count) continue;
    const e = expectWindow(history, history, s.start + windowStart * HOUR, s.start + end * HOUR, cfg, utcOffsetMinutes);
    const a = assess(observed, observed, e, cfg);
    if (!a.significant) continue;
    alerts.push({ hour: end - 1, assessment: a });
    quietUntil = end + Math.ceil(cfg.cooldown_hours);
  }
  return alerts;
}

// ---- a synthetic city (the bench and the tests) ----

/** A Poisson draw (Knuth for small means, a normal approximation above 50). */
function poisson(mean: number, random: () => number): number {
  if (mean > 50)
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())));
  const l = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > l) {
    k++;
    p *= random();
  }
  return k;
}

/**
 * Hourly counts shaped like a city's messages: quiet nights, a morning and an evening peak, a busy Monday and a quiet
 * Sunday, a winter season (heating) `season` times above summer, and day-to-day clumping (±`noise`).
 * `base` is the mean hourly count. Local time is UTC + `utcOffsetMinutes`.
 */
export function syntheticSeries(opts: {
  start: number;
  hours: number;
  base: number;
  season?: number;
  noise?: number;
  seed: number;
  utcOffsetMinutes: number;
}): number[] {
  const random = rng(opts.seed);
  const out: number[] = [];
  const DAY = [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 1.0, 1.6, 1.9, 1.8, 1.5, 1.3, 1.3, 1.4, 1.4, 1.3, 1.3, 1.5, 1.7, 1.6, 1.2, 0.7, 0.35];
  const WEEK = [1.35, 1.15, 1.05, 1.0, 0.95, 0.8, 0.7];
  const dayMean = DAY.reduce((a, b) => a + b, 0) / 24;
  const weekMean = WEEK.reduce((a, b) => a + b, 0) / 7;
  const season = opts.season ?? 1.5;
  let dayNoise = 1;
  for (let i = 0; i < opts.hours; i++) {
    const t = opts.start + i * HOUR;
    const local = new Date(t + opts.utcOffsetMinutes * 60_000);
    if (i === 0 || local.getUTCHours() === 0) dayNoise = 1 + (opts.noise ?? 0.15) * (2 * random() - 1);
    const doy = (t - Date.UTC(local.getUTCFullYear(), 0, 1)) / (24 * HOUR);
    // Peak in mid-January, trough in mid-July; the factor runs from 1 to `season`.
    const s = 1 + ((season - 1) * (1 + Math.cos((2 * Math.PI * (doy - 15)) / 365))) / 2;
    const how = hourOfWeek(t, opts.utcOffsetMinutes);
    const shape = ((DAY[how % 24] as number) / dayMean) * ((WEEK[Math.floor(how / 24)] as number) / weekMean);
    out.push(poisson((opts.base * shape * s * dayNoise) / ((1 + season) / 2), random));
  }
  return out;
}

// ---- words ----

const fmt = (n: number, digits = 1) => (Math.round(n * 10 ** digits) / 10 ** digits).toString();
/** Expected counts under 1 keep two decimals: "0.03", not "0". */
const fmtExpected = (n: number) => fmt(n, n < 1 ? 2 : 1);

/** A p-value as people read it: "1 in 25 000". */
export function oneIn(p: number): string {
  if (p <= 0) return '∞';
  const n = 1 / p;
  if (n >= 1e9) return `${fmt(n / 1e9, 0)}e9`;
  return Math.round(n)
    .toLocaleString('fr-FR')
    .replace(/\u202f/g, ' ');
}

export interface SpikeFacts {
  category: string;
  district: string;
  windowHours: number;
  observed: number;
  expected: number;
  pValue: number;
  hourFactor: number;
  seasonFactor: number;
}

/** The alert in plain words: what arrived, what was expected and why, and how unlikely it is by chance. */
export const SPIKE_TEXTS: Record<Language, (f: SpikeFacts) => string> = {
  ru: (f) =>
    `Всплеск: «${f.category}», ${f.district}. За ${f.windowHours} ч пришло ${f.observed} сообщений при ожидаемых ${fmtExpected(f.expected)} ` +
    `(в ${fmt(f.observed / Math.max(f.expected, 0.01))} раза больше). Ожидание учитывает час недели (×${fmt(f.hourFactor, 2)}) ` +
    `и сезон (×${fmt(f.seasonFactor, 2)}). Случайно так бывает примерно 1 раз из ${oneIn(f.pValue)} (p = ${f.pValue.toExponential(1)}).`,
  kk: (f) =>
    `Күрт көбею: «${f.category}», ${f.district}. ${f.windowHours} сағатта ${f.observed} хабарлама келді, күтілгені ${fmtExpected(f.expected)} ` +
    `(${fmt(f.observed / Math.max(f.expected, 0.01))} есе көп). Күтілетін мән апта сағатын (×${fmt(f.hourFactor, 2)}) ` +
    `және маусымды (×${fmt(f.seasonFactor, 2)}) ескереді. Кездейсоқ мұндай шамамен ${oneIn(f.pValue)} реттің 1-інде болады (p = ${f.pValue.toExponential(1)}).`,
  en: (f) =>
    `Spike: "${f.category}", ${f.district}. ${f.observed} messages in ${f.windowHours} h against ${fmtExpected(f.expected)} expected ` +
    `(${fmt(f.observed / Math.max(f.expected, 0.01))} times as many). The expectation allows for the hour of the week (×${fmt(f.hourFactor, 2)}) ` +
    `and the season (×${fmt(f.seasonFactor, 2)}). By chance this happens about once in ${oneIn(f.pValue)} (p = ${f.pValue.toExponential(1)}).`,
};
