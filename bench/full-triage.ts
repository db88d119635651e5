// The benchmark's "full triage" of a message: everything the triage stage does but the database. On this thread
// (`fullTriage`) and as a TriagePool task (`makeTask`, `pack`, `unpack`: src/triage/pool.ts), where each result
// comes back as text: the triage as JSON (the form `qala triage` writes), the signature as stored.
import { createTriageEngine, type TriageCity } from '../src/triage/create.js';
import { DuplicateFinder } from '../src/triage/duplicates/cluster.js';
import { LearnedTriage } from '../src/triage/learned.js';
import { decodeModel } from '../src/triage/model/io.js';
import type { Model } from '../src/triage/model/softmax.js';
import type { Pack } from '../src/triage/pool-worker.js';
import type { TriageResult } from '../src/triage/types.js';

/** The city's engine (normalisation, language, kind, sentiment, urgency, address, district), the model's
 * category with its explanation, and the MinHash signature that finds repeats. */
export function fullTriage(city: TriageCity, model: Model): (text: string) => [TriageResult, string] {
  const engine = new LearnedTriage(createTriageEngine(city), { id: 0, model }, { minConfidence: 0, categories: new Set(model.labels) });
  const repeats = new DuplicateFinder();
  return (text) => [engine.triage({ text }), repeats.signature(text)];
}

export interface FullTriageSetup {
  city: TriageCity;
  /** The model as a model file's bytes (encodeModel). */
  model: Uint8Array;
}

/** A result sent between threads: the triage result's JSON and the signature (already text). */
export type SentResult = [json: string, signature: string];

/** In a pool worker: the full triage of each text. */
export function makeTask(s: FullTriageSetup): (text: string) => SentResult {
  const run = fullTriage(s.city, decodeModel(Buffer.from(s.model.buffer, s.model.byteOffset, s.model.byteLength), 'benchmark model'));
  return (text) => {
    const [result, signature] = run(text);
    return [JSON.stringify(result), signature];
  };
}

// A batch as two strings, one result a line: neither JSON nor a signature holds a line break.
export const pack: Pack<SentResult> = (results) => ({
  data: [results.map((r) => r[0]).join('\n'), results.map((r) => r[1]).join('\n')],
  transfer: [],
});

export function unpack([json, signatures]: [string, string]): SentResult[] {
  const a = json.split('\n');
  const b = signatures.split('\n');
  return a.map((j, i) => [j, b[i] as string]);
}
