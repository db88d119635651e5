// The confirmation window in calendar days of the city's time, and the query bound agreeing with it everywhere.
import { describe, expect, it } from 'vitest';
import { windowCutoff, windowEnd, windowOpen } from './confirm-window.js';

const astana = { utcOffsetMinutes: 300 };

describe('confirmation window', () => {
  it('runs to the end of the 15th local day after the day of resolution', () => {
    // 10 March 2026 14:00 in Astana.
    const resolved = new Date('2026-03-10T09:00:00Z');
    expect(windowEnd(astana, resolved, 15).toISOString()).toBe('2026-03-25T19:00:00.000Z'); // 26 March 00:00 +05:00
    expect(windowOpen(astana, resolved, 15, new Date('2026-03-25T18:59:59Z'))).toBe(true);
    expect(windowOpen(astana, resolved, 15, new Date('2026-03-25T19:00:00Z'))).toBe(false);
  });

  it('counts the local day, not the UTC one: resolved at 23:30 Astana time is that day, not the next', () => {
    const lateEvening = new Date('2026-03-10T18:30:00Z'); // 10 March 23:30 +05:00
    const justAfterMidnight = new Date('2026-03-10T19:30:00Z'); // 11 March 00:30 +05:00
    expect(windowEnd(astana, lateEvening, 1).toISOString()).toBe('2026-03-11T19:00:00.000Z');
    expect(windowEnd(astana, justAfterMidnight, 1).toISOString()).toBe('2026-03-12T19:00:00.000Z');
  });

  it('gives a query bound that agrees with windowOpen for any resolution time and any now', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5000; i++) {
      const days = 1 + Math.floor(rand() * 30);
      const resolved = new Date(base + Math.floor(rand() * 60 * 86_400_000));
      const now = new Date(resolved.getTime() + Math.floor(rand() * (days + 3) * 86_400_000));
      const passedByBound = resolved.getTime() < windowCutoff(astana, now, days).getTime();
      expect(passedByBound).toBe(!windowOpen(astana, resolved, days, now));
    }
  });

  it('works for offsets west of UTC too', () => {
    const west = { utcOffsetMinutes: -300 };
    const resolved = new Date('2026-03-10T03:00:00Z'); // 9 March 22:00 −05:00
    expect(windowEnd(west, resolved, 2).toISOString()).toBe('2026-03-12T05:00:00.000Z'); // 12 March 00:00 −05:00
  });
});
