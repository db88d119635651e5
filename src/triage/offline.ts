// The whole triage of a file, outside the centre (`qala triage`): the city's engine for language, kind,
// sentiment, urgency and place, the given model's label, and repeats found among the file's own lines.
import type { City } from '../config/load.js';
import { createTriageEngine } from './create.js';
import { DuplicateFinder } from './duplicates/cluster.js';
import { type Model, predict } from './model/softmax.js';

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function offlineTriage(city: City, model: Model): (id: unknown, text: string) => Record<string, unknown> {
  const engine = createTriageEngine(city);
  const finder = new DuplicateFinder();
  // One moment for the whole file: its lines are compared as if they arrived together.
  const at = new Date();
  const ids = new Map<string, unknown>();
  let seq = 0;
  return (id, text) => {
    const t = engine.triage({ text });
    const p = predict(model, text, 5);
    const key = `${seq++}`;
    const repeat = finder.observe({ id: key, text, category: t.category, address: t.address, district: t.district, at });
    ids.set(key, id);
    return {
      id,
      language: t.language,
      label: p.label,
      confidence: round(p.confidence),
      probabilities: p.probabilities.map((x) => ({ label: x.label, p: round(x.p) })),
      category: t.category,
      kind: t.kind,
      sentiment: t.sentiment,
      urgency: t.urgency,
      address: t.address,
      district: t.district,
      duplicate_of: repeat.match ? (ids.get(repeat.match.id) ?? null) : null,
      explanation: {
        label: p.features,
        language: t.explanation.language,
        category: t.explanation.category,
        urgency: t.explanation.urgency,
        kind: t.explanation.kind,
        place: t.explanation.place,
        ...(repeat.match ? { duplicate: { score: round(repeat.match.score), ...repeat.match.why } } : {}),
      },
    };
  };
}
