import { describe, expect, it } from 'vitest';
import { LearnedTriage } from './learned.js';
import { trainModel } from './model/train.js';
import type { TriageEngine, TriageResult } from './types.js';

// A stand-in for the keyword engine: it always says OTHR, so every change below comes from the model.
const keywords: TriageEngine = {
  version: 'keywords-test',
  triage: () =>
    ({
      engine: 'keywords-test',
      category: 'OTHR',
      confidence: 0.2,
      explanation: {
        language: { method: 'words', script: 'cyrillic', confidence: 1 },
        category: [],
        urgency: [],
        kind: [],
        place: { method: 'none' },
      },
    }) as unknown as TriageResult,
};

const examples = [
  ...Array.from({ length: 40 }, (_, i) => ({ text: `батарея холодная в квартире ${i % 5}`, label: 'HEAT' })),
  ...Array.from({ length: 40 }, (_, i) => ({ text: `кабина скрипит на ходу ${i % 5}`, label: 'LIFT' })),
  ...Array.from({ length: 40 }, (_, i) => ({ text: `фонтан во дворе красивый ${i % 5}`, label: 'FOUNTAIN' })),
];
const model = trainModel(examples, { seed: 3 });

describe('LearnedTriage', () => {
  it('takes the model’s category when it is sure, and names the n-grams behind it', () => {
    const e = new LearnedTriage(keywords, { id: 7, model }, { minConfidence: 0.5, categories: new Set(['HEAT', 'LIFT', 'OTHR']) });
    const r = e.triage({ text: 'кабина опять скрипит' });
    expect(r.category).toBe('LIFT');
    expect(r.engine).toBe('model-7+keywords-test');
    expect(r.explanation.categoryBy?.method).toBe('model');
    expect(r.confidence).toBe(r.explanation.categoryBy?.model?.confidence);
    expect(r.explanation.categoryBy?.model?.features.length).toBeGreaterThan(0);
  });

  it('leaves the keywords’ answer below the threshold, keeping the model’s view for the operator', () => {
    const e = new LearnedTriage(keywords, { id: 7, model }, { minConfidence: 0.999, categories: new Set(['HEAT', 'LIFT', 'OTHR']) });
    const r = e.triage({ text: 'кабина и батарея' });
    expect(r.category).toBe('OTHR');
    expect(r.explanation.categoryBy?.method).toBe('keywords');
    expect(['HEAT', 'LIFT']).toContain(r.explanation.categoryBy?.model?.label);
  });

  it('never uses a label the city does not have', () => {
    const e = new LearnedTriage(keywords, { id: 7, model }, { minConfidence: 0.1, categories: new Set(['HEAT', 'LIFT', 'OTHR']) });
    const r = e.triage({ text: 'фонтан во дворе красивый' });
    expect(r.explanation.categoryBy?.model?.label).toBe('FOUNTAIN');
    expect(r.category).toBe('OTHR');
  });
});
