// Urgency from the content, explainably: single phrases (configured per level) and combinations that only
// together mean danger — no heating AND frost, a lift AND people inside, a failure AND children or the elderly.
// Each rule that fires is named in the explanation.
import type { Urgency } from '../config/schema.js';

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

export class UrgencyRules {
  constructor(
    private readonly phrases: { critical: string[]; high: string[] },
    private readonly rules: UrgencyRule[],
  ) {}

  /** `has` tells whether a configured stem is in the text; `raw` is the original, for temperatures with signs. */
  judge(has: (stem: string) => boolean, raw: string): UrgencyVerdict {
    const reasons: string[] = [];
    const critical = this.phrases.critical.filter(has);
    const high = this.phrases.high.filter(has);
    let level: Urgency = critical.length ? 'critical' : high.length ? 'high' : 'normal';
    reasons.push(...critical, ...high);
    for (const rule of this.rules) {
      const fired = rule.all.every((group) => group.some((stem) => (stem === '{frost}' ? FROST.test(raw) : has(stem))));
      if (!fired) continue;
      const next: Urgency | undefined = rule.raise ? (level === 'high' ? 'critical' : undefined) : rule.level;
      if (next && ORDER.indexOf(next) > ORDER.indexOf(level)) {
        level = next;
        reasons.push(`rule:${rule.id}`);
      }
    }
    return { urgency: level, reasons };
  }
}
