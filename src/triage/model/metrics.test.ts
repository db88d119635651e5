// Quality figures agree with hand-computed ones.
import { describe, expect, it } from 'vitest';
import { calibrationError, report } from './metrics.js';

describe('report', () => {
  it('computes accuracy, per-class precision/recall/F1, macro-F1 and the worst confusions', () => {
    const r = report(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'a', 'a']);
    expect(r.accuracy).toBeCloseTo(3 / 6);
    const a = r.classes.find((c) => c.label === 'a')!;
    expect(a.precision).toBeCloseTo(2 / 4);
    expect(a.recall).toBeCloseTo(2 / 3);
    expect(r.classes.find((c) => c.label === 'c')!.f1).toBe(0);
    expect(r.macroF1).toBeCloseTo(((2 * (0.5 * (2 / 3))) / (0.5 + 2 / 3) + 0.5 + 0) / 3);
    expect(r.confusions[0]).toEqual({ truth: 'a', predicted: 'b', count: 1 });
    expect(r.confusions).toHaveLength(3);
  });

  it('measures calibration error as the gap between confidence and hit rate', () => {
    expect(calibrationError([0.9, 0.9, 0.9, 0.9], [true, true, true, false])).toBeCloseTo(0.15);
    expect(calibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false])).toBeCloseTo(0);
  });
});
