import { describe, expect, it } from 'vitest';
import { diffSummary } from './diff.js';

describe('diffSummary', () => {
  it('names the changed, added and removed paths of a section', () => {
    const before = {
      rules: [
        { category: 'HEAT', organisation: 'a' },
        { category: '*', organisation: 'c' },
      ],
      note: 'x',
    };
    const after = { rules: [{ category: 'HEAT', organisation: 'b', priority: 5 }], extra: true };
    expect(diffSummary(before, after)).toEqual({
      added: ['rules.0.priority', 'extra'],
      removed: ['rules.1', 'note'],
      changed: ['rules.0.organisation'],
      count: 5,
    });
  });

  it('finds nothing when the values are equal', () => {
    expect(diffSummary({ a: [1, { b: 'c' }] }, { a: [1, { b: 'c' }] }).count).toBe(0);
  });

  it('counts every difference but lists at most forty of a kind', () => {
    const d = diffSummary({ xs: [] }, { xs: Array.from({ length: 100 }, (_, i) => i) });
    expect(d.count).toBe(100);
    expect(d.added).toHaveLength(40);
  });
});
