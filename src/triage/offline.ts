// The whole triage of a file, outside the centre (`qala triage`): the city's engine for language, kind,
// sentiment, urgency and place, the given model's label, and repeats found among the file's own lines.
// In two steps, so the first can run on several threads (pool.ts, offline-stream.ts): `offlineParts` works out
// everything a line says on its own, as JSON text and a MinHash signature; `offlineJoiner` then finds repeats in
// file order, which only one thread can do, and finishes each JSON line. One thread or several, the lines are
// the same.
import { createTriageEngine, type TriageCity } from './create.js';
import { DuplicateFinder } from './duplicates/cluster.js';
import { MinHasher } from './duplicates/minhash.js';
import { decodeModel } from './model/io.js';
import { type Model, predict } from './model/softmax.js';
import type { Pack } from './pool-worker.js';

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** One line's triage but its id and repeats: two pieces of its JSON line and what finding repeats needs. */
export interface OfflineParts {
  /** The line's JSON from "language" to "district", without braces (the id goes before it). */
  head: string;
  /** The explanation's JSON without its closing brace (a repeat adds "duplicate" to it). */
  explanation: string;
  category: string | null;
  address: string | null;
  district: string | null;
  signature: Uint32Array;
}

/** Works on each text on its own, so any thread can run it. */
export function offlineParts(city: TriageCity, model: Model): (text: string) => OfflineParts {
  const engine = createTriageEngine(city);
  // The duplicate finder's own shingling (its default options), so the joiner's comparisons are unchanged.
  const hasher = new MinHasher(new DuplicateFinder().opts.minhash);
  return (text) => {
    const t = engine.triage({ text });
    const p = predict(model, text, 5);
    const head = JSON.stringify({
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
    });
    const explanation = JSON.stringify({
      label: p.features,
      language: t.explanation.language,
      category: t.explanation.category,
      urgency: t.explanation.urgency,
      kind: t.explanation.kind,
      place: t.explanation.place,
    });
    return {
      head: head.slice(1, -1),
      explanation: explanation.slice(0, -1),
      category: t.category,
      address: t.address,
      district: t.district,
      signature: hasher.signature(text),
    };
  };
}

/** Finds repeats among the lines given so far, in file order, and gives each line's finished JSON. */
export function offlineJoiner(): (id: unknown, parts: OfflineParts) => string {
  const finder = new DuplicateFinder();
  // One moment for the whole file: its lines are compared as if they arrived together.
  const at = new Date();
  const ids = new Map<string, unknown>();
  let seq = 0;
  return (id, p) => {
    const key = `${seq++}`;
    const repeat = finder.observe({ id: key, text: '', category: p.category, address: p.address, district: p.district, at }, p.signature);
    ids.set(key, id);
    const m = repeat.match;
    const duplicateOf = m ? (ids.get(m.id) ?? null) : null;
    const duplicate = m ? `,"duplicate":${JSON.stringify({ score: round(m.score), ...m.why })}` : '';
    // As JSON.stringify({ id, ... }) writes it: without "id" when there is none.
    const idJson = JSON.stringify(id) as string | undefined;
    const start = idJson === undefined ? '{' : `{"id":${idJson},`;
    return `${start}${p.head},"duplicate_of":${JSON.stringify(duplicateOf)},"explanation":${p.explanation}${duplicate}}}`;
  };
}

/** Both steps on this thread: one JSON line per call. */
export function offlineTriage(city: TriageCity, model: Model): (id: unknown, text: string) => string {
  const parts = offlineParts(city, model);
  const join = offlineJoiner();
  return (id, text) => join(id, parts(text));
}

export interface OfflineSetup {
  city: TriageCity;
  /** The model file's bytes (model/io.ts) and its name for messages. */
  model: Uint8Array;
  name: string;
}

/** A pool worker's task (pool-worker.ts): `offlineParts` with the model read from its bytes. */
export const makeTask = (s: OfflineSetup) =>
  offlineParts(s.city, decodeModel(Buffer.from(s.model.buffer, s.model.byteOffset, s.model.byteLength), s.name));

interface Packed {
  text: string;
  signatures: Uint32Array;
}

/** A batch of parts as one string (three JSON texts a part, one a line: JSON holds no line break) and one buffer
 * of signatures, moved rather than copied: cloning thousands of small objects cost more than the triage saved. */
export const pack: Pack<OfflineParts> = (parts) => {
  const width = parts[0]?.signature.length ?? 0;
  const signatures = new Uint32Array(parts.length * width);
  const lines: string[] = [];
  parts.forEach((p, i) => {
    signatures.set(p.signature, i * width);
    lines.push(p.head, p.explanation, JSON.stringify([p.category, p.address, p.district]));
  });
  return { data: { text: lines.join('\n'), signatures } satisfies Packed, transfer: [signatures.buffer as ArrayBuffer] };
};

export function unpack({ text, signatures }: Packed): OfflineParts[] {
  const lines = text.split('\n');
  const n = lines.length / 3;
  const width = signatures.length / n;
  const out: OfflineParts[] = [];
  for (let i = 0; i < n; i++) {
    const [category = null, address = null, district = null] = JSON.parse(lines[3 * i + 2] as string) as (string | null)[];
    out.push({
      head: lines[3 * i] as string,
      explanation: lines[3 * i + 1] as string,
      category,
      address,
      district,
      signature: signatures.subarray(i * width, (i + 1) * width),
    });
  }
  return out;
}
