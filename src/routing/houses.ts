// House ranges of a routing rule: "1-25", "2-40 even" / "1-25 odd" (чётные / нечётные, жұп / тақ too), single
// houses ("40", "42/1", "5а") and lists of them ("1-25 odd, 40, 42/1" or a YAML list). A range compares the number
// a house is numbered by, so "12/1" and "12а" are within "1-25"; a single house must be that house.
import { HOUSE_PATTERN, houseKey } from './address.js';

export type HouseRange = { kind: 'range'; from: number; to: number; parity: 'even' | 'odd' | null } | { kind: 'house'; key: string; text: string };

const EVEN = /^(?:even|чет\p{L}*|чёт\p{L}*|жұп|жуп)$/u;
const ODD = /^(?:odd|нечет\p{L}*|нечёт\p{L}*|тақ|так)$/u;
const RANGE = /^(\d{1,5})\s*[-–—]\s*(\d{1,5})(?:\s+(\p{L}+))?$/u;

/** Parses a rule's `houses`; throws with a readable message on anything else. */
export function parseHouses(spec: string | readonly (string | number)[]): HouseRange[] {
  const items = (typeof spec === 'string' ? spec.split(/[,;]/) : spec.map(String)).map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new Error('houses is empty');
  return items.map((item) => {
    const r = RANGE.exec(item.toLowerCase());
    if (r) {
      const from = Number(r[1]);
      const to = Number(r[2]);
      if (from > to) throw new Error(`houses "${item}": the range runs backwards`);
      const word = r[3];
      const parity = word === undefined ? null : EVEN.test(word) ? 'even' : ODD.test(word) ? 'odd' : undefined;
      if (parity === undefined) throw new Error(`houses "${item}": "${word}" is neither even nor odd`);
      return { kind: 'range', from, to, parity };
    }
    if (HOUSE_PATTERN.test(item)) return { kind: 'house', key: houseKey(item), text: item };
    throw new Error(`houses "${item}" is neither a house (40, 42/1, 5а) nor a range (1-25, 2-40 even)`);
  });
}

/** The ranges as an operator reads them in a trace: "houses 2-40 (even), 42/1". */
export function rangeText(houses: readonly HouseRange[]): string {
  const parts = houses.map((h) => (h.kind === 'house' ? h.text : `${h.from}-${h.to}${h.parity ? ` (${h.parity})` : ''}`));
  return `${parts.length === 1 && houses[0]?.kind === 'house' ? 'house' : 'houses'} ${parts.join(', ')}`;
}
