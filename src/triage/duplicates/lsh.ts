// Locality-sensitive hashing over MinHash signatures: an in-memory index of (id → signature) that answers
// "which stored signatures probably have Jaccard ≥ t with this one" without comparing against all of them.
// Owns: the bands × rows choice, add/query/remove, and a JSON form a worker can rebuild from stored signatures.
//
// Why bands × rows: a pair with Jaccard s shares at least one band with probability P(s) = 1 − (1 − s^r)^b.
// lshParams() picks (b, r), b·r ≤ numPerm, minimising w·∫₀ᵗ P(s) ds + (1 − w)·∫ₜ¹ (1 − P(s)) ds (the
// false-candidate area below t and the missed area above it). We weight misses 0.7: a false candidate costs
// one signature comparison (cluster.ts re-checks every candidate), a miss may be a second incident for one pipe.
// The default t = 0.45 is the lowest bar at which words alone must find a match: below it (same building,
// text ≥ 0.3) cluster.ts finds candidates by place, not by LSH. For 128 permutations that gives 32 bands ×
// 4 rows: P(0.45) = 0.74, P(0.55) = 0.93, P(0.6) = 0.99, while complaints sharing only a template and a
// street name (s ≈ 0.2) become candidates 5% of the time instead of 29% with 42 × 3 (t = 0.3) — on 50k
// generated complaints that is about five times fewer candidates to re-check per query.
import { decodeSignature, encodeSignature, fmix32, isEmptySignature } from './minhash.js';

export const DEFAULT_LSH_THRESHOLD = 0.45;

export interface LshParams {
  bands: number;
  rows: number;
}

export function candidateProbability(s: number, p: LshParams): number {
  return 1 - (1 - s ** p.rows) ** p.bands;
}

function area(f: (s: number) => number, from: number, to: number): number {
  const steps = 200;
  const h = (to - from) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += f(from + (i + 0.5) * h);
  return sum * h;
}

export function lshParams(numPerm: number, threshold: number, falsePositiveWeight = 0.3): LshParams {
  if (!(threshold > 0 && threshold < 1)) throw new Error(`threshold must be in (0, 1), got ${threshold}`);
  let best: LshParams & { cost: number } = { bands: numPerm, rows: 1, cost: Infinity };
  for (let bands = 1; bands <= numPerm; bands++) {
    for (let rows = 1; bands * rows <= numPerm; rows++) {
      const p = { bands, rows };
      const fp = area((s) => candidateProbability(s, p), 0, threshold);
      const fn = area((s) => 1 - candidateProbability(s, p), threshold, 1);
      const cost = falsePositiveWeight * fp + (1 - falsePositiveWeight) * fn;
      if (cost < best.cost) best = { bands, rows, cost };
    }
  }
  return { bands: best.bands, rows: best.rows };
}

export interface LshSnapshot {
  numPerm: number;
  bands: number;
  rows: number;
  entries: [id: string, signature: string][];
}

export class LshIndex {
  readonly params: LshParams;
  private readonly buckets: Map<number, string[]>[];
  private readonly signatures = new Map<string, Uint32Array>();

  constructor(
    readonly numPerm: number,
    params: LshParams = lshParams(numPerm, DEFAULT_LSH_THRESHOLD),
  ) {
    if (params.bands * params.rows > numPerm) throw new Error(`bands × rows (${params.bands}×${params.rows}) exceeds ${numPerm} permutations`);
    this.params = params;
    this.buckets = Array.from({ length: params.bands }, () => new Map<number, string[]>());
  }

  get size(): number {
    return this.signatures.size;
  }

  has(id: string): boolean {
    return this.signatures.has(id);
  }

  signatureOf(id: string): Uint32Array | undefined {
    return this.signatures.get(id);
  }

  /** Band keys are 32-bit hashes of the band's rows; a rare key collision only adds a candidate that the caller re-checks. */
  private bandKey(sig: Uint32Array, band: number): number {
    let h = Math.imul(band + 1, 0x9e3779b1);
    const start = band * this.params.rows;
    for (let i = start; i < start + this.params.rows; i++) h = Math.imul(h ^ (sig[i] as number), 0x01000193);
    return fmix32(h);
  }

  add(id: string, sig: Uint32Array): void {
    if (sig.length !== this.numPerm) throw new Error(`signature has ${sig.length} values, index expects ${this.numPerm}`);
    if (this.signatures.has(id)) this.remove(id);
    this.signatures.set(id, sig);
    // Empty texts are kept (so remove/has work) but not bucketed: they would all collide with each other.
    if (isEmptySignature(sig)) return;
    for (let band = 0; band < this.params.bands; band++) {
      const map = this.buckets[band] as Map<number, string[]>;
      const key = this.bandKey(sig, band);
      const list = map.get(key);
      if (list) list.push(id);
      else map.set(key, [id]);
    }
  }

  remove(id: string): boolean {
    const sig = this.signatures.get(id);
    if (!sig) return false;
    this.signatures.delete(id);
    if (isEmptySignature(sig)) return true;
    for (let band = 0; band < this.params.bands; band++) {
      const map = this.buckets[band] as Map<number, string[]>;
      const key = this.bandKey(sig, band);
      const list = map.get(key);
      if (!list) continue;
      const at = list.indexOf(id);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) map.delete(key);
    }
    return true;
  }

  /** Ids sharing at least one band with sig, in first-seen order (deterministic for a given insertion order). */
  query(sig: Uint32Array): string[] {
    if (sig.length !== this.numPerm) throw new Error(`signature has ${sig.length} values, index expects ${this.numPerm}`);
    if (isEmptySignature(sig)) return [];
    const seen = new Set<string>();
    for (let band = 0; band < this.params.bands; band++) {
      const list = (this.buckets[band] as Map<number, string[]>).get(this.bandKey(sig, band));
      if (list) for (const id of list) seen.add(id);
    }
    return [...seen];
  }

  toJSON(): LshSnapshot {
    return { numPerm: this.numPerm, ...this.params, entries: [...this.signatures].map(([id, sig]) => [id, encodeSignature(sig)]) };
  }

  /** Rebuild from stored rows (id, encoded signature), e.g. in a worker after a restart. */
  static fromEntries(numPerm: number, entries: Iterable<[string, string | Uint32Array]>, params?: LshParams): LshIndex {
    const index = new LshIndex(numPerm, params);
    for (const [id, sig] of entries) index.add(id, typeof sig === 'string' ? decodeSignature(sig) : sig);
    return index;
  }

  static fromJSON(snapshot: LshSnapshot): LshIndex {
    return LshIndex.fromEntries(snapshot.numPerm, snapshot.entries, { bands: snapshot.bands, rows: snapshot.rows });
  }
}
