import { describe, expect, it } from 'vitest';
import { MIN_RESIDENTS, suppressSmallCells } from './privacy.js';

describe('suppressSmallCells', () => {
  const cells = [
    { district: 'esil', category: 'HOTW', messages: 40, residents: 12 },
    { district: 'esil', category: 'LIFT', messages: 9, residents: 4 },
    { district: 'almaty', category: 'ROAD', messages: 5, residents: 5 },
    { district: 'baikonur', category: 'ROAD', messages: 1, residents: 0 },
  ];

  it('withholds the figures of cells with fewer than five distinct residents and flags them', () => {
    expect(MIN_RESIDENTS).toBe(5);
    expect(suppressSmallCells(cells, ['messages'])).toEqual([
      { district: 'esil', category: 'HOTW', messages: 40, residents: 12, suppressed: false },
      { district: 'esil', category: 'LIFT', messages: null, residents: null, suppressed: true },
      { district: 'almaty', category: 'ROAD', messages: 5, residents: 5, suppressed: false },
      { district: 'baikonur', category: 'ROAD', messages: null, residents: null, suppressed: true },
    ]);
  });

  it('judges by residents, not messages: one resident writing fifty times stays hidden', () => {
    const [one] = suppressSmallCells([{ messages: 50, residents: 1 }], ['messages']);
    expect(one).toEqual({ messages: null, residents: null, suppressed: true });
  });

  it('leaves the input untouched', () => {
    suppressSmallCells(cells, ['messages']);
    expect(cells[1]?.messages).toBe(9);
  });
});
