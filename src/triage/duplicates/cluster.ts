// DuplicateFinder: "is this message about a problem we already know of?" Text (MinHash + LSH) combined with
// place, category and time, so fifty posts about one burst pipe form one cluster that the ticket layer can
// merge into one incident. In memory and deterministic; a worker rebuilds it from stored signatures.
//
// Scoring — each candidate passes through gates, then a score ranks the survivors:
// 1. Contradictions reject outright: categories both known and different (two problems on one street); both
//    addresses known and different buildings; else both points known (own, or learnt for the building — see
//    place-index.ts) and farther apart than radiusMeters; else both districts known and different;
//    |Δt| > windowHours.
// 2. Place evidence, best known first: same building key or points ≤ samePlaceMeters → "same" (1.0); points
//    ≤ radiusMeters → "near" (1.0 falling to 0.5 at the radius); same district only → "district" (0.25);
//    nothing comparable → "unknown" (0).
// 3. A match needs EITHER text similarity (MinHash Jaccard estimate) ≥ the bar for its place evidence:
//    same 0.3, near 0.5, district 0.75, unknown 0.85, plus 0.1 unless both categories are known and equal —
//    the less we know of the place and the problem, the more the words must say it. Generated paraphrases
//    with 2–3 edits score ≥ 0.6 in 97% of cases and unrelated complaints of another category ≤ 0.29 in 99%,
//    but generic short complaints ("не работает лифт") repeat across a district: the district and unknown
//    bars were raised until the incident bench stopped chaining different incidents (bench/duplicates.ts);
//    OR (the cross-language rule) the same known category at the same place within placeWindowHours, whatever
//    the words: "нет воды" and "су жоқ" share no shingles, but one house, one category, one morning is one pipe.
// 4. score = 0.55·text + 0.30·place + 0.15·(1 − hoursApart / windowHours), in [0, 1]: wording counts most,
//    so a text match outranks a place-only one. But a match at the same or a near place always outranks a
//    district-level or placeless one, whatever the scores: words shared across a district prove little.
//    Ties go to the nearer in time, then the smaller id.
// 5. Clusters: an item joins its best match's cluster; other clusters it matches at a same/near place are
//    merged into that one and reported (see observe()).
import { DEFAULT_LSH_THRESHOLD, LshIndex, lshParams } from './lsh.js';
import { decodeSignature, encodeSignature, estimateJaccard, MinHasher, type MinHashOptions } from './minhash.js';
import { addressKey, validPoint } from './place.js';
import { type Placed, type PlaceEvidence, PlaceIndex } from './place-index.js';

export type { PlaceEvidence } from './place-index.js';

export interface DuplicateItem {
  id: string;
  text: string;
  category: string | null;
  lat?: number | null;
  lon?: number | null;
  address?: string | null;
  district?: string | null;
  at: Date;
}

export interface DuplicateMatch {
  id: string;
  score: number;
  why: {
    textSimilarity: number;
    distanceMeters?: number;
    sameAddress?: boolean;
    sameCategory: boolean;
    hoursApart: number;
    place: PlaceEvidence;
    rule: 'text' | 'same-place-category';
  };
}

export interface DuplicateFinderOptions {
  radiusMeters: number;
  samePlaceMeters: number;
  windowHours: number;
  placeWindowHours: number;
  textThreshold: Record<PlaceEvidence, number>;
  /** Added to the text bar unless both categories are known and equal. */
  unconfirmedCategoryPenalty: number;
  /** Jaccard the LSH bands are tuned for: the lowest text bar that is not already covered by the place index. */
  lshThreshold: number;
  minhash: Partial<MinHashOptions>;
}

export const DEFAULT_FINDER: DuplicateFinderOptions = {
  radiusMeters: 300,
  samePlaceMeters: 60,
  windowHours: 72,
  placeWindowHours: 6,
  textThreshold: { same: 0.3, near: 0.5, district: 0.75, unknown: 0.85 },
  unconfirmedCategoryPenalty: 0.1,
  lshThreshold: DEFAULT_LSH_THRESHOLD,
  minhash: {},
};

interface Entry extends Placed {
  sig: Uint32Array;
  category: string | null;
  time: number;
  cluster: string;
}

const HOUR = 3_600_000;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export class DuplicateFinder {
  readonly opts: DuplicateFinderOptions;
  readonly hasher: MinHasher;
  private readonly lsh: LshIndex;
  private readonly places: PlaceIndex;
  private readonly entries = new Map<string, Entry>();
  /** Cluster merges (union–find parent links), compacted on expiry. */
  private readonly mergedInto = new Map<string, string>();
  private watermark = -Infinity;
  private scratch: Uint32Array | undefined;
  private lastExpiry = -Infinity;

  constructor(options: Partial<DuplicateFinderOptions> = {}) {
    this.opts = { ...DEFAULT_FINDER, ...options, textThreshold: { ...DEFAULT_FINDER.textThreshold, ...options.textThreshold } };
    this.hasher = new MinHasher(this.opts.minhash);
    this.lsh = new LshIndex(this.hasher.opts.numPerm, lshParams(this.hasher.opts.numPerm, this.opts.lshThreshold));
    this.places = new PlaceIndex(this.opts.samePlaceMeters, this.opts.radiusMeters);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The encoded signature to store beside the appeal (text column), so a restart need not re-hash. */
  signature(text: string): string {
    // Into one reused array: a new one per message is memory outside the heap that the collector must free.
    this.scratch ??= new Uint32Array(this.hasher.opts.numPerm);
    return encodeSignature(this.hasher.signatureInto(text, this.scratch));
  }

  /** The cluster an indexed item belongs to: the id of the item that started it, after any merges. */
  clusterOf(id: string): string | undefined {
    const e = this.entries.get(id);
    return e && this.root(e.cluster);
  }

  /** Best match among indexed items, without indexing `item`. */
  findMatch(item: DuplicateItem, signature?: string | Uint32Array): DuplicateMatch | null {
    return this.matches(this.entry(item, signature, item.id))[0] ?? null;
  }

  /**
   * Match, then index: the intake path. The item joins its best match's cluster. When it also stands at the
   * same or a near place as members of other clusters it matches, those clusters are merged into that one
   * and listed in `merged` (the ticket layer merges their incidents): the first calls about a pipe may
   * have formed two clusters before anything tied a phone call's address to a Telegram post's location.
   * District-only or unknown-place matches never merge clusters: "нет воды" fits every dry house in a district.
   */
  observe(item: DuplicateItem, signature?: string | Uint32Array): { match: DuplicateMatch | null; cluster: string; merged: string[] } {
    const entry = this.entry(item, signature, item.id);
    const [match = null, ...others] = this.matches(entry);
    const cluster = match ? this.root((this.entries.get(match.id) as Entry).cluster) : item.id;
    const merged: string[] = [];
    for (const m of others) {
      if (!placed(m) || !placed(match as DuplicateMatch)) continue;
      const c = this.root((this.entries.get(m.id) as Entry).cluster);
      if (c === cluster || merged.includes(c)) continue;
      this.mergedInto.set(c, cluster);
      merged.push(c);
    }
    entry.cluster = cluster;
    this.insert(entry);
    return { match, cluster, merged };
  }

  private root(cluster: string): string {
    let c = cluster;
    for (let next = this.mergedInto.get(c); next !== undefined; next = this.mergedInto.get(c)) c = next;
    return c;
  }

  /** Index without matching, e.g. when a worker rebuilds from stored rows (pass the stored cluster). */
  add(item: DuplicateItem, signature?: string | Uint32Array, cluster?: string): void {
    const entry = this.entry(item, signature, cluster ?? item.id);
    this.insert(entry);
  }

  remove(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    this.lsh.remove(id);
    this.places.remove(e);
    return true;
  }

  /** Drops items older than windowHours before `now` (default: the newest time seen). Returns how many. */
  expire(now?: Date): number {
    const cutoff = (now ? now.getTime() : this.watermark) - this.opts.windowHours * HOUR;
    let removed = 0;
    // A full pass: items may arrive out of time order (a phone call typed in later). compare() checks the
    // window anyway, so expiry only bounds memory and can run rarely.
    for (const e of [...this.entries.values()]) if (e.time < cutoff && this.remove(e.id)) removed++;
    // Point every live item at its root, so merge links of expired clusters can go.
    for (const e of this.entries.values()) e.cluster = this.root(e.cluster);
    this.mergedInto.clear();
    return removed;
  }

  private entry(item: DuplicateItem, signature: string | Uint32Array | undefined, cluster: string): Entry {
    const sig = typeof signature === 'string' ? decodeSignature(signature) : (signature ?? this.hasher.signature(item.text ?? ''));
    if (sig.length !== this.hasher.opts.numPerm) throw new Error(`signature has ${sig.length} values, expected ${this.hasher.opts.numPerm}`);
    const time = item.at instanceof Date ? item.at.getTime() : Number.NaN;
    if (!Number.isFinite(time)) throw new Error(`item ${item.id} has no valid time`);
    const point = validPoint(item.lat, item.lon) ? { lat: item.lat as number, lon: item.lon as number } : null;
    return {
      id: item.id,
      sig,
      category: item.category || null,
      point,
      key: addressKey(item.address),
      district: item.district || null,
      time,
      cluster,
    };
  }

  private insert(e: Entry): void {
    this.remove(e.id);
    this.entries.set(e.id, e);
    this.lsh.add(e.id, e.sig);
    this.places.add(e);
    if (e.time > this.watermark) {
      this.watermark = e.time;
      // Expire lazily, about once per hour of new time, so intake does not scan the index on every post.
      if (e.time - this.lastExpiry >= HOUR) {
        this.lastExpiry = e.time;
        this.expire();
      }
    }
  }

  /** Every match, best first. */
  private matches(e: Entry): DuplicateMatch[] {
    // Candidates the words cannot find (the cross-language rule) come from the same building or the same few metres.
    const candidates = this.places.samePlaceIds(e);
    for (const id of this.lsh.query(e.sig)) candidates.add(id);
    const out: DuplicateMatch[] = [];
    for (const id of candidates) {
      const other = id === e.id ? undefined : this.entries.get(id);
      const m = other && this.compare(e, other);
      if (m) out.push(m);
    }
    return out.sort((x, y) => (better(x, y) ? -1 : 1));
  }

  private compare(e: Entry, o: Entry): DuplicateMatch | null {
    const { opts } = this;
    const hoursApart = Math.abs(e.time - o.time) / HOUR;
    if (hoursApart > opts.windowHours) return null;
    if (e.category && o.category && e.category !== o.category) return null;
    const where = this.places.compare(e, o);
    if (!where) return null;
    const place = where.evidence;
    const text = estimateJaccard(e.sig, o.sig);
    const sameCategory = e.category !== null && e.category === o.category;
    let rule: DuplicateMatch['why']['rule'];
    if (text >= opts.textThreshold[place] + (sameCategory ? 0 : opts.unconfirmedCategoryPenalty)) rule = 'text';
    else if (sameCategory && place === 'same' && hoursApart <= opts.placeWindowHours) rule = 'same-place-category';
    else return null;
    const score = 0.55 * text + 0.3 * where.score + 0.15 * (1 - hoursApart / opts.windowHours);
    const why: DuplicateMatch['why'] = { textSimilarity: round(text), sameCategory, hoursApart: round(hoursApart, 2), place, rule };
    if (where.distanceMeters !== undefined) why.distanceMeters = where.distanceMeters;
    if (where.sameAddress !== undefined) why.sameAddress = where.sameAddress;
    return { id: o.id, score: round(score), why };
  }
}

const placed = (m: DuplicateMatch) => m.why.place === 'same' || m.why.place === 'near';

/** A match the place confirms beats one only the words suggest; then score, nearer time, smaller id. */
function better(a: DuplicateMatch, b: DuplicateMatch): boolean {
  if (placed(a) !== placed(b)) return placed(a);
  if (a.score !== b.score) return a.score > b.score;
  if (a.why.hoursApart !== b.why.hoursApart) return a.why.hoursApart < b.why.hoursApart;
  return a.id < b.id;
}
