import { describe, expect, it } from 'vitest';
import { StreetKeys } from './address.js';
import { parseHouses } from './houses.js';
import { buildRegistry } from './registry.js';
import { Router, type RoutingRule, route } from './rules.js';

const streets = new StreetKeys([
  { names: ['Кенесары', 'Kenesary'] },
  { names: ['проспект Жеңіс', 'проспект Женис', 'проспект Победы'] },
  { names: ['Абылай хан', 'Абылай-хан'] },
]);

const rules: RoutingRule[] = [
  { category: 'SNOW', district: 'esil', organisation: 'akimat-esil' },
  { category: 'SNOW', organisation: 'roads' },
  { category: 'WATR', organisation: 'water' },
  { category: '*', organisation: 'centre' },
];

describe('routing by category and district', () => {
  it('takes the district-specific rule first and says it decided', () => {
    const d = route(rules, { category: 'SNOW', district: 'esil' }, 'fallback');
    expect(d.organisation).toBe('akimat-esil');
    expect(d.rule).toBe(0);
    expect(d.trace).toHaveLength(1);
    expect(d.trace[0]).toMatchObject({ rule: 0, matched: true, organisation: 'akimat-esil' });
    expect(d.trace[0]?.why).toBe('Category SNOW: the appeal is in district esil. This rule decides → akimat-esil.');
  });

  it('falls through to the category rule and says why the district rule did not apply', () => {
    const d = route(rules, { category: 'SNOW', district: 'nura' }, 'fallback');
    expect(d.organisation).toBe('roads');
    expect(d.trace[0]).toMatchObject({ rule: 0, matched: false });
    expect(d.trace[0]?.why).toBe("Category SNOW: only in district esil, and this appeal's district is nura.");
    // The same in phrases the web says in the reader's language, with ids it names itself.
    expect(d.trace[0]?.says).toEqual([
      { key: 'category', vars: { category: 'SNOW' } },
      { key: 'no.district', vars: { district: 'esil', got: 'nura' } },
    ]);
    expect(d.trace[1]).toMatchObject({ rule: 1, matched: true });
  });

  it('uses the default rule for an unknown category, and the fallback when nothing matches', () => {
    expect(route(rules, { category: 'ZZZ', district: null }, 'fallback').organisation).toBe('centre');
    const none = route(rules.slice(0, 3), { category: null, district: null }, 'fallback');
    expect(none).toMatchObject({ organisation: 'fallback', rule: null });
    expect(none.trace).toEqual([
      {
        rule: -1,
        matched: true,
        why: 'No rule matched: the fallback decides → fallback.',
        says: [{ key: 'fallback', vars: { organisation: 'fallback' } }],
        organisation: 'fallback',
      },
    ]);
  });

  it('names organisations in the trace when told how', () => {
    const d = new Router(rules, { name: (id) => (id === 'water' ? 'Astana Su Arnasy' : undefined) }).route({ category: 'WATR', district: null }, 'x');
    expect(d.trace[0]?.why).toContain('→ Astana Su Arnasy (water).');
  });
});

describe('priority', () => {
  it('tries higher priorities first and keeps file order between equals, the trace in that order', () => {
    const r: RoutingRule[] = [
      { category: 'LIFT', organisation: 'a', district: 'nura' },
      { category: 'LIFT', organisation: 'b', district: 'nura', priority: 5 },
      { category: 'LIFT', organisation: 'c', district: 'esil', priority: 5 },
      { category: '*', organisation: 'd', priority: 10, keywords: ['срочно'] },
    ];
    const d = route(r, { category: 'LIFT', district: 'nura', text: 'лифт стоит' }, 'f');
    expect(d.organisation).toBe('b');
    expect(d.trace.map((s) => s.rule)).toEqual([3, 1]);
    const esil = route(r, { category: 'LIFT', district: 'esil', text: 'лифт стоит' }, 'f');
    expect(esil.organisation).toBe('c');
    expect(esil.trace.map((s) => s.rule)).toEqual([3, 1, 2]);
    expect(d.trace[0]?.why).toMatch(/^Any category \(priority 10\): needs one of the words срочно/);
    expect(route(r, { category: 'LIFT', district: 'nura', text: 'Срочно! лифт' }, 'f').organisation).toBe('d');
  });
});

describe('keywords', () => {
  const r: RoutingRule[] = [
    { category: 'BUS', keywords: ['lrt', 'легкорельс', 'жеңіл рельс'], organisation: 'lrt' },
    { category: 'BUS', organisation: 'buses' },
  ];

  it.each([
    ['Когда запустят LRT?', 'lrt'],
    ['Легкорельсовый транспорт стоит', 'легкорельс'],
    ['Жеңіл рельсті көлік қашан жүреді', 'жеңіл рельс'],
    ['Женил рельсти колик кашан', 'жеңіл рельс'],
  ])('finds a keyword as a stem at the start of a word, Kazakh letters folded: %s', (text, keyword) => {
    const d = route(r, { category: 'BUS', district: null, text }, 'f');
    expect(d.organisation).toBe('lrt');
    expect(d.trace.at(-1)?.why).toContain(`the text has «${keyword}»`);
  });

  it('does not take a keyword inside a word, and says none was found', () => {
    const d = route(r, { category: 'BUS', district: null, text: 'автобус 32 не пришёл, бывший маршрут через сплрт' }, 'f');
    expect(d.organisation).toBe('buses');
    expect(d.trace[0]?.why).toBe('Category BUS: needs one of the words lrt, легкорельс, жеңіл рельс, and none is in the text.');
  });
});

describe('address ranges', () => {
  const r: RoutingRule[] = [
    { category: 'YARD', street: 'ул. Кенесары', houses: '2-40 even', organisation: 'even-side' },
    { category: 'YARD', street: 'Кенесары', houses: ['1-25 odd', '40/1'], organisation: 'odd-side' },
    { category: 'YARD', street: 'пр. Победы', organisation: 'zhenis' },
    { category: 'YARD', organisation: 'akimat' },
  ];
  const at = (address: string | null) => new Router(r, { streets }).route({ category: 'YARD', district: null, place: streets.place(address) }, 'f');

  it.each([
    ['Кенесары, 40', 'even-side'],
    ['Кенесары, 12/1', 'even-side'],
    ['Kenesary 7а', 'odd-side'],
    ['Кенесары 40/1', 'even-side'],
    ['Кенесары, 41', 'akimat'],
    ['проспект Жеңіс, 3', 'zhenis'],
    ['Женис 100', 'zhenis'], // the name without its type word and Kazakh letters meets the gazetteer's
    ['Абая 100', 'akimat'],
  ])('%s → %s', (address, organisation) => {
    expect(at(address).organisation).toBe(organisation);
  });

  it('says which house was outside which range', () => {
    const d = at('Кенесары, 41');
    expect(d.trace[0]?.why).toBe('Category YARD: only for ул. Кенесары houses 2-40 (even), and the appeal names house 41.');
    expect(d.trace[1]?.why).toBe('Category YARD: only for Кенесары houses 1-25 (odd), 40/1, and the appeal names house 41.');
    expect(at(null).trace[2]?.why).toBe('Category YARD: only for пр. Победы, and the appeal names no street.');
  });

  it('refuses a range it cannot read', () => {
    expect(() => parseHouses('40-2')).toThrow(/backwards/);
    expect(() => parseHouses('1-9 every')).toThrow(/neither even nor odd/);
    expect(() => new Router([{ category: 'YARD', houses: '1-3', organisation: 'x' }])).toThrow(/houses without a street/);
    expect(() => new Router([{ category: 'YARD' }])).toThrow(/either organisation or registry/);
    expect(parseHouses('1-25 нечётные, 2-40 чет')).toMatchObject([{ parity: 'odd' }, { parity: 'even' }]);
  });
});

describe('the building registry', () => {
  const registry = buildRegistry(
    [
      {
        line: 2,
        record: { street: 'Кенесары', house: '40', service: 'housing', organisation: 'osi-1', name_ru: 'ОСИ «Один»', name_kk: '«Бір» МИБ' },
      },
      { line: 3, record: { street: 'Кенесары', house: '40', service: 'lift', organisation: 'lift-1', name_ru: 'Лифт', name_kk: 'Лифт' } },
    ],
    { streets, configured: new Set() },
    'buildings.csv',
  ).registry;
  const r: RoutingRule[] = [
    { category: 'MGMT', registry: 'housing', priority: 10, note: "The building's ОСИ/КСК" },
    { category: 'MGMT', organisation: 'dept-housing' },
  ];
  const router = new Router(r, { streets, registry, name: (id) => (id === 'osi-1' ? 'OSI One' : undefined) });

  it('sends the appeal to the company the registry names for the building, and the trace names the registry', () => {
    const d = router.route({ category: 'MGMT', district: null, place: streets.place('ул. Кенесары 40') }, 'f');
    expect(d.organisation).toBe('osi-1');
    expect(d.trace).toHaveLength(1);
    expect(d.trace[0]).toMatchObject({
      rule: 0,
      matched: true,
      registry: { service: 'housing', address: 'Кенесары, 40', line: 2, file: 'buildings.csv' },
    });
    expect(d.trace[0]?.why).toBe(
      "Category MGMT (priority 10): the building registry (buildings.csv line 2) names OSI One (osi-1) as the housing organisation of Кенесары, 40. This rule decides → osi-1. (The building's ОСИ/КСК)",
    );
  });

  it('falls back to the next rule for a building it does not have, or an address without a house', () => {
    const unknown = router.route({ category: 'MGMT', district: null, place: streets.place('Кенесары 42') }, 'f');
    expect(unknown.organisation).toBe('dept-housing');
    expect(unknown.trace[0]?.why).toBe('Category MGMT (priority 10): the building registry has no housing organisation for Кенесары, 42.');
    const street = router.route({ category: 'MGMT', district: null, place: streets.place('Кенесары') }, 'f');
    expect(street.trace[0]?.why).toContain('names Кенесары without a house number');
    const none = router.route({ category: 'MGMT', district: null, place: null }, 'f');
    expect(none.trace[0]?.why).toContain('the appeal names no street and house');
    expect(none.organisation).toBe('dept-housing');
  });
});
