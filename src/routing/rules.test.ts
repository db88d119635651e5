import { describe, expect, it } from 'vitest';
import { type RoutingRule, route } from './rules.js';

const rules: RoutingRule[] = [
  { category: 'SNOW', district: 'esil', organisation: 'akimat-esil' },
  { category: 'SNOW', organisation: 'roads' },
  { category: 'WATR', organisation: 'water' },
  { category: '*', organisation: 'centre' },
];

describe('routing rules', () => {
  it('takes the district-specific rule first', () => {
    const d = route(rules, { category: 'SNOW', district: 'esil' }, 'fallback');
    expect(d.organisation).toBe('akimat-esil');
    expect(d.rule).toBe(0);
    expect(d.trace.at(-1)?.why).toContain('district esil');
  });

  it('falls through to the category rule and says why the district rule did not apply', () => {
    const d = route(rules, { category: 'SNOW', district: 'nura' }, 'fallback');
    expect(d.organisation).toBe('roads');
    expect(d.trace[0]).toMatchObject({ rule: 0, matched: false });
    expect(d.trace[0]?.why).toContain('nura');
  });

  it('uses the default rule for an unknown category, and the fallback when nothing matches', () => {
    expect(route(rules, { category: 'ZZZ', district: null }, 'fallback').organisation).toBe('centre');
    expect(route(rules.slice(0, 3), { category: null, district: null }, 'fallback')).toMatchObject({ organisation: 'fallback', rule: null });
  });
});
