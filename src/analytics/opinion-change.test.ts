import { describe, expect, it } from 'vitest';
import { wilson } from './estimate.js';
import { changeDirection, compareWeeks, MIN_VOICES, type WeekRow } from './opinion-change.js';

const interval = (p: number, n: number) => ({ share: p, ci: wilson(p, n) });
const rows = (counts: Partial<Record<WeekRow['stance'], number>>, prefix: string): WeekRow[] =>
  Object.entries(counts).flatMap(([stance, k]) =>
    Array.from({ length: k }, (_, i) => ({
      stance: stance as WeekRow['stance'],
      district: null,
      channel: 'telegram',
      resident: `${prefix}-${stance}-${i}`,
    })),
  );

describe('opinion change between two weeks', () => {
  it('flags a change whose intervals overlap a little but less than the difference allows', () => {
    // 40% → 55% of 100: the intervals [30.9, 49.8] and [45.2, 64.4] overlap by 4.6 points, and Newcombe's
    // interval of the difference, [1.2, 28.0] points, leaves out zero.
    const before = interval(0.4, 100);
    const after = interval(0.55, 100);
    expect(before.ci[1]).toBeGreaterThan(after.ci[0]);
    expect(changeDirection(before, after)).toBe('up');
    expect(changeDirection(after, before)).toBe('down');
  });

  it('does not flag a change the intervals can hold', () => {
    expect(changeDirection(interval(0.4, 100), interval(0.5, 100))).toBe(null);
    expect(changeDirection(interval(0.2, 40), interval(0.3, 40))).toBe(null);
    expect(changeDirection(interval(0, 40), interval(0, 40))).toBe(null);
  });

  it('compares weighted shares per stance, one voice per resident', () => {
    const previous = rows({ for: 10, against: 30 }, 'p');
    // A resident who writes twice in the week still counts once.
    const current = [...rows({ for: 30, against: 10 }, 'c'), { stance: 'for' as const, district: null, channel: 'telegram', resident: 'c-for-0' }];
    const r = compareWeeks(previous, current, { districtPopulation: { a: 100 } });
    expect(r.enough).toBe(true);
    expect([r.previous_n, r.current_n]).toEqual([40, 40]);
    const byStance = Object.fromEntries(r.stances.map((s) => [s.stance, s]));
    expect(byStance.for?.previous.share).toBe(0.25);
    expect(byStance.for?.current.share).toBe(0.75);
    expect(byStance.for?.change).toBe(0.5);
    expect(byStance.for?.direction).toBe('up');
    expect(byStance.against?.direction).toBe('down');
    expect(byStance.neutral?.change).toBe(0);
    expect(byStance.neutral?.direction).toBe(null);
  });

  it('gives no numbers when either week has too few residents', () => {
    const r = compareWeeks(rows({ for: MIN_VOICES }, 'p'), rows({ for: MIN_VOICES - 1 }, 'c'), { districtPopulation: { a: 100 } });
    expect(r).toEqual({ previous_n: MIN_VOICES, current_n: MIN_VOICES - 1, enough: false, stances: [] });
  });
});
