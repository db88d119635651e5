// The category from the model the centre learnt from its own history, on top of the seed-keyword engine (which
// still finds language, kind, urgency and place). Below the model's confidence threshold, or for a label the city
// no longer has, the keywords decide; either way the model's view is kept in the explanation.
import { type Model, predict } from './model/softmax.js';
import type { TriageEngine, TriageInput, TriageResult } from './types.js';

export interface ActiveModel {
  id: number;
  model: Model;
}

export interface LearnedOptions {
  /** The model decides when at least this sure (its confidence is calibrated on held-out examples). */
  minConfidence: number;
  /** The city's category codes: a label outside them is never used. */
  categories: ReadonlySet<string>;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export class LearnedTriage implements TriageEngine {
  readonly version: string;

  constructor(
    private readonly base: TriageEngine,
    private readonly active: ActiveModel,
    private readonly o: LearnedOptions,
  ) {
    this.version = `model-${active.id}+${base.version}`;
  }

  triage(input: TriageInput): TriageResult {
    const r = this.base.triage(input);
    const p = predict(this.active.model, input.text, 5);
    const model = {
      id: this.active.id,
      label: p.label,
      confidence: round(p.confidence, 3),
      threshold: this.o.minConfidence,
      alternatives: p.probabilities.map((a) => ({ label: a.label, p: round(a.p, 3) })),
      features: p.features,
    };
    const byModel = this.o.categories.has(p.label) && p.confidence >= this.o.minConfidence;
    if (!byModel) return { ...r, engine: this.version, explanation: { ...r.explanation, categoryBy: { method: 'keywords', model } } };
    return {
      ...r,
      engine: this.version,
      category: p.label,
      confidence: model.confidence,
      // What the keywords took for chatter (nothing they knew in it) is a complaint once the model has placed it.
      kind: r.kind === 'noise' ? 'complaint' : r.kind,
      explanation: { ...r.explanation, categoryBy: { method: 'model', model } },
    };
  }
}
