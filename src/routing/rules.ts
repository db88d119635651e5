// Routing as pure rules. A rule names a category (or '*') and optionally a district, words of the text, a street
// with a range of houses; it sends the ticket either to an organisation or to whichever organisation the building
// registry names for the building and a service. Rules are tried by priority (higher first; ties in file order)
// and the first that matches decides. The trace says, in plain sentences, why each rule considered did or did not
// match and which one decided, so an operator can read why a ticket went where it went.

import { StemIndex } from '../triage/stems.js';
import { foldKazakh, latinToCyrillic } from '../triage/text/index.js';
import { houseNumber, type Place, type StreetKeys, streetName } from './address.js';
import { type HouseRange, parseHouses, rangeText } from './houses.js';

export interface RoutingRule {
  category: string; // a category code or '*'
  district?: string | undefined;
  /** Any one of these words (stems, matched at the start of a word; a phrase is stems in a row) in the text. */
  keywords?: string[] | undefined;
  street?: string | undefined;
  /** Houses of `street`: "1-25", "2-40 even", "1-25 odd, 40, 42/1", or a list. Without it, the whole street. */
  houses?: string | (string | number)[] | undefined;
  organisation?: string | undefined;
  /** A service of the building registry (housing, lift): the building's organisation for it decides. */
  registry?: string | undefined;
  priority?: number | undefined;
  note?: string | undefined;
}

export interface RoutingInput {
  category: string | null;
  district: string | null;
  text?: string | null;
  place?: Place | null;
}

export interface RoutingStep {
  /** The rule's index in the routing file (0-based); -1 for the fallback. */
  rule: number;
  matched: boolean;
  why: string;
  /** The same, as phrases the web says in the reader's language: `route.<key>` with ids in `vars` (names are looked
   * up by the reader); a rule's note, written by the city, follows as it is. */
  says: Phrase[];
  note?: string;
  /** Set on the step that decided. */
  organisation?: string;
  /** Set when the registry was asked and answered. */
  registry?: { service: string; address: string; line: number; file: string | null };
}

export interface RoutingDecision {
  organisation: string;
  rule: number | null;
  trace: RoutingStep[];
}

export interface BuildingLookup {
  readonly file: string | null;
  find(streetKey: string, houseKey: string, service: string): { organisation: string; line: number } | undefined;
}

export interface RouterOptions {
  /** Street names of rules → keys; without it, names are compared as written (lower case, type word dropped). */
  streets?: StreetKeys;
  registry?: BuildingLookup;
  /** How the trace names an organisation (e.g. its English name); the id is always given too. */
  name?: (organisation: string) => string | undefined;
}

export interface Phrase {
  key: string;
  vars?: Record<string, string | number>;
}

type Verdict =
  | { ok: false; why: string; say: Phrase }
  | { ok: true; met: string[]; says: Phrase[]; organisation: string; registry?: RoutingStep['registry'] };

interface Compiled {
  index: number;
  rule: RoutingRule;
  priority: number;
  streetKey: string | null;
  houses: HouseRange[] | null;
}

const tokens = (s: string) =>
  foldKazakh(s.toLowerCase())
    .split(/[^\p{L}\p{N}-]+/u)
    .filter(Boolean);

export class RoutingRuleError extends Error {}

export class Router {
  private readonly ordered: Compiled[];
  private readonly keywords: StemIndex | null;
  private readonly byCategory = new Map<string, Compiled[]>();

  constructor(
    readonly rules: readonly RoutingRule[],
    private readonly o: RouterOptions = {},
  ) {
    const compiled = rules.map((rule, index): Compiled => {
      if (Boolean(rule.organisation) === Boolean(rule.registry)) throw new RoutingRuleError(`rule ${index}: needs either organisation or registry`);
      if (rule.houses !== undefined && !rule.street) throw new RoutingRuleError(`rule ${index}: houses without a street`);
      let houses: HouseRange[] | null = null;
      try {
        houses = rule.houses === undefined ? null : parseHouses(rule.houses);
      } catch (e) {
        throw new RoutingRuleError(`rule ${index}: ${(e as Error).message}`);
      }
      const streetKey = rule.street ? (o.streets ? o.streets.street(rule.street).key : streetName(rule.street)) : null;
      return { index, rule, priority: rule.priority ?? 0, streetKey, houses };
    });
    // Stable: equal priorities keep file order.
    this.ordered = [...compiled].sort((a, b) => b.priority - a.priority || a.index - b.index);
    for (const c of this.ordered) {
      const list = this.byCategory.get(c.rule.category) ?? [];
      list.push(c);
      this.byCategory.set(c.rule.category, list);
    }
    const words = rules.flatMap((r) => r.keywords ?? []);
    this.keywords = words.length ? new StemIndex(words, tokens) : null;
  }

  /** The gazetteer-backed street keys the rules were prepared with: the stage reads a message's address with them. */
  get streets(): StreetKeys | undefined {
    return this.o.streets;
  }

  route(input: RoutingInput, fallback: string): RoutingDecision {
    const trace: RoutingStep[] = [];
    let found: Set<string> | null = null;
    const words = () => (found ??= this.scan(input.text ?? ''));
    for (const c of this.candidates(input.category)) {
      const { rule: r, index } = c;
      const head = `${r.category === '*' ? 'Any category' : `Category ${r.category}`}${c.priority ? ` (priority ${c.priority})` : ''}`;
      const heads: Phrase[] = [
        r.category === '*' ? { key: 'any_category' } : { key: 'category', vars: { category: r.category } },
        ...(c.priority ? [{ key: 'priority', vars: { priority: c.priority } }] : []),
      ];
      const v = this.verdict(c, input, words);
      if (!v.ok) {
        trace.push({ rule: index, matched: false, why: `${head}: ${v.why}`, says: [...heads, v.say] });
        continue;
      }
      const because = v.met.length ? `${v.met.join('; ')}.` : r.category === '*' ? 'the default rule.' : 'no further condition.';
      const becauseSays = v.says.length ? v.says : [{ key: r.category === '*' ? 'default_rule' : 'no_condition' }];
      const to = v.registry ? v.organisation : this.named(v.organisation); // the registry's sentence has named it already
      const why = `${head}: ${because} This rule decides → ${to}.${r.note ? ` (${r.note})` : ''}`;
      trace.push({
        rule: index,
        matched: true,
        why,
        says: [...heads, ...becauseSays, { key: 'decides', vars: { organisation: v.organisation } }],
        ...(r.note ? { note: r.note } : {}),
        organisation: v.organisation,
        ...(v.registry ? { registry: v.registry } : {}),
      });
      return { organisation: v.organisation, rule: index, trace };
    }
    trace.push({
      rule: -1,
      matched: true,
      why: `No rule matched: the fallback decides → ${this.named(fallback)}.`,
      says: [{ key: 'fallback', vars: { organisation: fallback } }],
      organisation: fallback,
    });
    return { organisation: fallback, rule: null, trace };
  }

  /** Whether one rule matches, and in words why (or why not). Conditions are checked district, place, words, registry. */
  private verdict(c: Compiled, input: RoutingInput, words: () => Set<string>): Verdict {
    const r = c.rule;
    const met: string[] = [];
    const says: Phrase[] = [];
    if (r.district) {
      if (r.district !== input.district)
        return {
          ok: false,
          why: `only in district ${r.district}, and this appeal's district is ${input.district ?? 'not known'}.`,
          say: input.district
            ? { key: 'no.district', vars: { district: r.district, got: input.district } }
            : { key: 'no.district_unknown', vars: { district: r.district } },
        };
      met.push(`the appeal is in district ${r.district}`);
      says.push({ key: 'met.district', vars: { district: r.district } });
    }
    if (c.streetKey !== null) {
      const p = input.place;
      const range = c.houses ? ` ${rangeText(c.houses)}` : '';
      const street = `${r.street}${range}`;
      if (!p || p.streetKey !== c.streetKey)
        return {
          ok: false,
          why: `only for ${street}, and the appeal ${p ? `names ${p.street}` : 'names no street'}.`,
          say: p ? { key: 'no.street', vars: { street, got: p.street } } : { key: 'no.street_none', vars: { street } },
        };
      if (c.houses && !(p.houseKey !== null && c.houses.some((h) => matches(h, p.houseKey as string))))
        return {
          ok: false,
          why: `only for ${street}, and the appeal ${p.house ? `names house ${p.house}` : 'gives no house number'}.`,
          say: p.house ? { key: 'no.house', vars: { street, house: p.house } } : { key: 'no.house_none', vars: { street } },
        };
      met.push(c.houses ? `${p.street}, ${p.house} is within${range}` : `the appeal is on ${p.street}`);
      says.push(
        c.houses
          ? { key: 'met.house', vars: { address: `${p.street}, ${p.house}`, range: range.trim() } }
          : { key: 'met.street', vars: { street: p.street } },
      );
    }
    if (r.keywords?.length) {
      const hit = r.keywords.find((k) => words().has(k));
      const list = r.keywords.join(', ');
      if (!hit)
        return { ok: false, why: `needs one of the words ${list}, and none is in the text.`, say: { key: 'no.words', vars: { words: list } } };
      met.push(`the text has «${hit}»`);
      says.push({ key: 'met.word', vars: { word: hit } });
    }
    if (!r.registry) return { ok: true, met, says, organisation: r.organisation as string };
    const p = input.place;
    if (!p || p.houseKey === null) {
      const named = p ? `names ${p.street} without a house number` : 'names no street and house';
      return {
        ok: false,
        why: `asks the building registry for the building's ${r.registry} organisation, and the appeal ${named}.`,
        say: p
          ? { key: 'no.registry_house', vars: { service: r.registry, street: p.street } }
          : { key: 'no.registry_place', vars: { service: r.registry } },
      };
    }
    const address = `${p.street}, ${p.house}`;
    const hit = this.o.registry?.find(p.streetKey, p.houseKey, r.registry);
    if (!hit)
      return {
        ok: false,
        why: `the building registry has no ${r.registry} organisation for ${address}.`,
        say: { key: 'no.registry', vars: { service: r.registry, address } },
      };
    const registry = { service: r.registry, address, line: hit.line, file: this.o.registry?.file ?? null };
    met.push(
      `the building registry (${registry.file ?? 'registry'} line ${hit.line}) names ${this.named(hit.organisation)} as the ${r.registry} organisation of ${registry.address}`,
    );
    says.push({ key: 'met.registry', vars: { service: r.registry, address, line: hit.line, organisation: hit.organisation } });
    return { ok: true, met, says, organisation: hit.organisation, registry };
  }

  /** The rules of the category and the rules for any category, in priority order; others are not worth a trace line. */
  private candidates(category: string | null): Compiled[] {
    const own = category ? (this.byCategory.get(category) ?? []) : [];
    const any = this.byCategory.get('*') ?? [];
    if (!own.length || !any.length) return own.length ? own : any;
    return [...own, ...any].sort((a, b) => b.priority - a.priority || a.index - b.index);
  }

  private scan(text: string): Set<string> {
    if (!this.keywords) return new Set();
    const found = this.keywords.scan(tokens(text));
    // Kazakh or Russian typed in Latin letters: read it in Cyrillic as well.
    if (/[a-z]{3}/i.test(text)) for (const k of this.keywords.scan(tokens(latinToCyrillic(text)))) found.add(k);
    return found;
  }

  private named(id: string): string {
    const name = this.o.name?.(id);
    return name && name !== id ? `${name} (${id})` : id;
  }
}

function matches(h: HouseRange, key: string): boolean {
  if (h.kind === 'house') return h.key === key;
  const n = houseNumber(key);
  if (n === null || n < h.from || n > h.to) return false;
  return h.parity === null || (h.parity === 'even') === (n % 2 === 0);
}

/** One-off routing without a prepared router (tests, tools). */
export function route(rules: readonly RoutingRule[], input: RoutingInput, fallback: string, o: RouterOptions = {}): RoutingDecision {
  return new Router(rules, o).route(input, fallback);
}
