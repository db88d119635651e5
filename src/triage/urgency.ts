// Urgency from the content, explainably: single phrases (configured per level) and combinations that only
// together mean danger — no heating AND frost, a lift AND people inside, a failure AND children or the elderly.
// Each rule that fires is named in the explanation.
import type { Urgency } from '../config/schema.js';
import { KeywordLists } from './stems.js';

export interface UrgencyRule {
  id: string;
  /** Every group must have at least one stem in the text. The token `{frost}` matches −10 °C or colder. */
  all: string[][];
  /** Set this level, or raise by one a level that is already high (a failure that matters, hitting the vulnerable). */
  level?: Urgency;
  raise?: boolean;
}

const ORDER: readonly Urgency[] = ['low', 'normal', 'high', 'critical'];
// "-25", "−18°", "минус 30", "аяз 20 градус": a temperature of −10 or below.
const FROST = /(?:[-−–]\s?|минус\s?|minus\s?)([1-5]\d)\s?(?:°|градус|gradus|c\b|с\b)?/iu;

export interface UrgencyVerdict {
  urgency: Urgency;
  reasons: string[];
}

const FROST_TOKEN = '{frost}';

export class UrgencyRules {
  // Critical phrases, high phrases, then each rule's groups in order (without `{frost}`, which `frost` marks).
  private readonly lists: KeywordLists;
  private readonly frost: boolean[] = [];

  constructor(
    private readonly phrases: { critical: string[]; high: string[] },
    private readonly rules: UrgencyRule[],
  ) {
    const groups = rules.flatMap((r) => r.all);
    this.frost = [false, false, ...groups.map((g) => g.includes(FROST_TOKEN))];
    this.lists = new KeywordLists([phrases.critical, phrases.high, ...groups.map((g) => g.filter((s) => s !== FROST_TOKEN))]);
  }

  /** `has` tells whether a configured stem is in the text; `raw` is the original, for temperatures with signs. */
  judge(has: (stem: string) => boolean, raw: string): UrgencyVerdict {
    const reasons: string[] = [];
    const critical = this.phrases.critical.filter(has);
    const high = this.phrases.high.filter(has);
    let level: Urgency = critical.length ? 'critical' : high.length ? 'high' : 'normal';
    reasons.push(...critical, ...high);
    for (const rule of this.rules) {
      const fired = rule.all.every((group) => group.some((stem) => (stem === FROST_TOKEN ? FROST.test(raw) : has(stem))));
      if (fired) level = this.raise(level, rule, reasons);
    }
    return { urgency: level, reasons };
  }

  /** The same verdict as `judge`, from the set of configured stems found in the text (quicker: no stem is asked). */
  judgeFound(found: ReadonlySet<string>, raw: string): UrgencyVerdict {
    const hits = this.lists.hits(found);
    const critical = hits[0];
    const high = hits[1];
    let level: Urgency = critical ? 'critical' : high ? 'high' : 'normal';
    const reasons = critical ? (high ? critical.concat(high) : critical) : (high ?? []);
    let g = 2;
    let frost: boolean | undefined;
    for (const rule of this.rules) {
      let fired = true;
      for (let k = 0; k < rule.all.length; k++, g++) {
        if (!fired || hits[g]) continue;
        if (this.frost[g] === true) frost ??= FROST.test(raw);
        fired = this.frost[g] === true && frost === true;
      }
      if (fired) level = this.raise(level, rule, reasons);
    }
    return { urgency: level, reasons };
  }

  private raise(level: Urgency, rule: UrgencyRule, reasons: string[]): Urgency {
    const next: Urgency | undefined = rule.raise ? (level === 'high' ? 'critical' : undefined) : rule.level;
    if (!next || ORDER.indexOf(next) <= ORDER.indexOf(level)) return level;
    reasons.push(`rule:${rule.id}`);
    return next;
  }
}
