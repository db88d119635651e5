// Small-cell suppression for aggregates that leave the centre (CSV exports, open data): a cell that fewer than
// MIN_RESIDENTS distinct residents contributed to could point at a person ("the one complaint about the lift at
// 12 Kenesary street in March"), so its figures are withheld: shown as null with `suppressed: true`.
// Plain functions: the callers count distinct residents per cell, this decides what may be shown.

/** Cells with fewer distinct residents than this are suppressed. */
export const MIN_RESIDENTS = 5;

export type Suppressed<T, K extends keyof T> = Omit<T, K | 'residents'> & {
  [P in K]: T[P] | null;
} & { residents: number | null; suppressed: boolean };

/**
 * Withholds the figures (`fields`, and the residents count itself) of every cell with fewer than `min` distinct
 * residents. The other properties (the cell's labels: day, district, category) stay, so a reader sees that a
 * cell exists and was withheld rather than mistaking it for zero.
 */
export function suppressSmallCells<T extends { residents: number }, K extends keyof T>(
  cells: readonly T[],
  fields: readonly K[],
  min = MIN_RESIDENTS,
): Suppressed<T, K>[] {
  return cells.map((c) => {
    const small = c.residents < min;
    const out: Record<string, unknown> = { ...c, suppressed: small };
    if (small) {
      for (const f of fields) out[f as string] = null;
      out.residents = null;
    }
    return out as Suppressed<T, K>;
  });
}
