// Routing as pure rules: the first rule that matches the ticket's category and district names the organisation.
// The trace records every rule considered, so an operator can read why a ticket went where it went.

export interface RoutingRule {
  category: string; // a category code or '*'
  district?: string;
  organisation: string;
  note?: string;
}

export interface RoutingInput {
  category: string | null;
  district: string | null;
}

export interface RoutingStep {
  rule: number;
  matched: boolean;
  why: string;
}

export interface RoutingDecision {
  organisation: string;
  rule: number | null;
  trace: RoutingStep[];
}

export function route(rules: readonly RoutingRule[], input: RoutingInput, fallback: string): RoutingDecision {
  const trace: RoutingStep[] = [];
  for (const [i, r] of rules.entries()) {
    if (r.category !== '*' && r.category !== input.category) continue; // not worth a trace line
    if (r.district && r.district !== input.district) {
      trace.push({ rule: i, matched: false, why: `category ${r.category} but district ${input.district ?? 'unknown'} ≠ ${r.district}` });
      continue;
    }
    const why =
      r.category === '*'
        ? `default rule → ${r.organisation}`
        : `category ${r.category}${r.district ? ` in district ${r.district}` : ''} → ${r.organisation}`;
    trace.push({ rule: i, matched: true, why: r.note ? `${why} (${r.note})` : why });
    return { organisation: r.organisation, rule: i, trace };
  }
  trace.push({ rule: -1, matched: true, why: `no rule matched → ${fallback}` });
  return { organisation: fallback, rule: null, trace };
}
