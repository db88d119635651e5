// The spike detector on synthetic hourly series: a planted burst is found within its own hours, a series with only
// its usual daily, weekly and seasonal rhythm stays quiet, and a Monday-morning peak that comes every week is expected.
import { describe, expect, it } from 'vitest';
import { SpikesConfig } from '../config/schema.js';
import { assess, expectWindow, HOUR, hourOfWeek, replaySeries, SPIKE_TEXTS, syntheticSeries, tailProbability } from './spikes.js';

const OFFSET = 300; // Astana, UTC+5
const cfg = SpikesConfig.parse({});
// Monday 2024-01-01 00:00 local time.
const START = Date.UTC(2024, 0, 1) - OFFSET * 60_000;
const WEEKS = 26;

describe('tail probabilities', () => {
  it('match the Poisson distribution', () => {
    expect(tailProbability(1, 1)).toBeCloseTo(1 - Math.exp(-1), 10);
    // P(X ≥ 3 | λ = 2) = 1 − e⁻²(1 + 2 + 2)
    expect(tailProbability(3, 2)).toBeCloseTo(1 - Math.exp(-2) * 5, 10);
    expect(tailProbability(0, 5)).toBe(1);
    // Far in the tail the digits survive: P(X ≥ 40 | λ = 2) ≈ e⁻² 2⁴⁰ / 40!
    expect(tailProbability(40, 2)).toBeGreaterThan(1e-40);
    expect(tailProbability(40, 2)).toBeLessThan(1e-30);
  });

  it('are larger under overdispersion (a negative binomial forgives clumps)', () => {
    expect(tailProbability(12, 4, 0.3)).toBeGreaterThan(tailProbability(12, 4, 0));
  });
});

describe('hour of the week', () => {
  it('counts from Monday midnight in local time', () => {
    expect(hourOfWeek(START, OFFSET)).toBe(0);
    expect(hourOfWeek(START + 9 * HOUR, OFFSET)).toBe(9);
    expect(hourOfWeek(START + 6 * 24 * HOUR + 23 * HOUR, OFFSET)).toBe(167);
    expect(hourOfWeek(START + 7 * 24 * HOUR, OFFSET)).toBe(0);
  });
});

describe('replaying a series', () => {
  const flat = syntheticSeries({ start: START, hours: WEEKS * 168, base: 1.2, season: 1.6, seed: 7, utcOffsetMinutes: OFFSET });

  it('stays quiet on a series with only its usual rhythm', () => {
    expect(replaySeries({ start: START, counts: flat }, cfg, OFFSET)).toEqual([]);
  });

  it('finds a planted burst within its own hours', () => {
    const planted = [...flat];
    const at = 20 * 168 + 2 * 24 + 14; // a Wednesday afternoon in week 21
    for (let h = 0; h < 3; h++) planted[at + h] = (planted[at + h] as number) + 8;
    const alerts = replaySeries({ start: START, counts: planted }, cfg, OFFSET);
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    expect(a?.hour).toBeGreaterThanOrEqual(at);
    expect(a?.hour).toBeLessThan(at + 3);
    expect(a?.assessment.observed).toBeGreaterThan(a?.assessment.expected ?? 0);
    expect(a?.assessment.pValue).toBeLessThan(cfg.p_value);
  });

  it('expects the Monday-morning peak that comes every week', () => {
    // A quiet series with a strong Monday 08:00–11:00 peak every week.
    const counts = syntheticSeries({ start: START, hours: WEEKS * 168, base: 0.3, season: 1, noise: 0, seed: 11, utcOffsetMinutes: OFFSET });
    const mondays: number[] = [];
    for (let w = 0; w < WEEKS; w++)
      for (let h = 8; h < 11; h++) {
        counts[w * 168 + h] = (counts[w * 168 + h] as number) + 4;
        mondays.push(w * 168 + h);
      }
    expect(replaySeries({ start: START, counts }, cfg, OFFSET)).toEqual([]);
    // The same Monday morning judged against a flat average rate would have looked like a spike.
    const end = 24 * 168 + 11;
    let observed = 0;
    for (let i = end - 3; i < end; i++) observed += counts[i] as number;
    const history = counts.slice(12 * 168, end - 3);
    const mean = history.reduce((a, b) => a + b, 0) / history.length;
    expect(tailProbability(observed, mean * 3, cfg.dispersion)).toBeLessThan(cfg.p_value);
    const e = expectWindow(
      { start: START + 12 * 168 * HOUR, counts: history },
      { start: START + 12 * 168 * HOUR, counts: history },
      START + (end - 3) * HOUR,
      START + end * HOUR,
      cfg,
      OFFSET,
    );
    expect(e.hourFactor).toBeGreaterThan(3);
    expect(assess(observed, observed, e, cfg).significant).toBe(false);
  });
});

describe('the explanation', () => {
  it('states expected, observed and significance in each language', () => {
    const facts = {
      category: 'Вода',
      district: 'Есиль',
      windowHours: 3,
      observed: 14,
      expected: 2.4,
      pValue: 2e-6,
      hourFactor: 1.3,
      seasonFactor: 0.9,
    };
    for (const lang of ['ru', 'kk', 'en'] as const) {
      const text = SPIKE_TEXTS[lang](facts);
      expect(text).toContain('14');
      expect(text).toContain('2.4');
      expect(text).toContain('500 000');
      expect(text).toContain('2.0e-6');
    }
  });
});
