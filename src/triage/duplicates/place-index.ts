// Where indexed items are, for duplicate detection: which items stand at the same place as a new one, and how
// strong the place evidence between two items is. Owns the bridge between channels that describe a place
// differently: a phone call carries an address, a Telegram post a shared location. When any item has carried
// both (a post with a location and an address), the building's point is learnt, so an address-only item and
// a point-only item can still be compared by distance.
import { Grid, haversineMeters } from './place.js';

export interface Point {
  lat: number;
  lon: number;
}

export interface Placed {
  id: string;
  point: Point | null;
  /** Building key from addressKey(). */
  key: string | null;
  district: string | null;
}

export type PlaceEvidence = 'same' | 'near' | 'district' | 'unknown';

export interface PlaceComparison {
  evidence: PlaceEvidence;
  /** 1 for the same place, 1 → 0.5 across the radius, 0.25 for the same district only, 0 for unknown. */
  score: number;
  distanceMeters?: number;
  sameAddress?: boolean;
}

export class PlaceIndex {
  private readonly grid: Grid;
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byCell = new Map<string, Set<string>>();
  private readonly keyPoints = new Map<string, Point & { n: number }>();
  private readonly keyCells = new Map<string, Set<string>>();

  constructor(
    readonly samePlaceMeters: number,
    readonly radiusMeters: number,
  ) {
    this.grid = new Grid(samePlaceMeters);
  }

  add(p: Placed): void {
    if (p.key) setAdd(this.byKey, p.key, p.id);
    if (p.point) setAdd(this.byCell, this.grid.cell(p.point.lat, p.point.lon), p.id);
    if (p.key && p.point) {
      const known = this.keyPoints.get(p.key);
      // The first point seen stays the building's point: later ones do not move it, so answers do not drift.
      if (known) known.n++;
      else {
        this.keyPoints.set(p.key, { ...p.point, n: 1 });
        setAdd(this.keyCells, this.grid.cell(p.point.lat, p.point.lon), p.key);
      }
    }
  }

  remove(p: Placed): void {
    if (p.key) setDelete(this.byKey, p.key, p.id);
    if (p.point) setDelete(this.byCell, this.grid.cell(p.point.lat, p.point.lon), p.id);
    if (p.key && p.point) {
      const known = this.keyPoints.get(p.key);
      if (known && --known.n === 0) {
        this.keyPoints.delete(p.key);
        setDelete(this.keyCells, this.grid.cell(known.lat, known.lon), p.key);
      }
    }
  }

  /** The item's own point, else the point learnt for its building. */
  pointOf(p: Placed): Point | null {
    if (p.point) return p.point;
    const known = p.key ? this.keyPoints.get(p.key) : undefined;
    return known ? { lat: known.lat, lon: known.lon } : null;
  }

  /** Ids that may be within samePlaceMeters of p or in its building (a superset: compare() decides). */
  samePlaceIds(p: Placed): Set<string> {
    const out = new Set<string>(p.key ? this.byKey.get(p.key) : []);
    const point = this.pointOf(p);
    if (!point) return out;
    for (const cell of this.grid.neighbourCells(point.lat, point.lon)) {
      for (const id of this.byCell.get(cell) ?? []) out.add(id);
      for (const key of this.keyCells.get(cell) ?? []) for (const id of this.byKey.get(key) ?? []) out.add(id);
    }
    return out;
  }

  /** Place evidence between two items, best known first; null when the places contradict each other. */
  compare(a: Placed, b: Placed): PlaceComparison | null {
    const pa = this.pointOf(a);
    const pb = this.pointOf(b);
    const d = pa && pb ? Math.round(haversineMeters(pa.lat, pa.lon, pb.lat, pb.lon) * 10) / 10 : undefined;
    // Two addresses decide alone: a shared location may be where the sender stands, not the building.
    if (a.key && b.key)
      return a.key === b.key ? { evidence: 'same', score: 1, sameAddress: true, ...(d === undefined ? {} : { distanceMeters: d }) } : null;
    if (d !== undefined) {
      if (d > this.radiusMeters) return null;
      if (d <= this.samePlaceMeters) return { evidence: 'same', score: 1, distanceMeters: d };
      const span = Math.max(1, this.radiusMeters - this.samePlaceMeters);
      return { evidence: 'near', score: 1 - (0.5 * (d - this.samePlaceMeters)) / span, distanceMeters: d };
    }
    if (a.district && b.district) return a.district === b.district ? { evidence: 'district', score: 0.25 } : null;
    return { evidence: 'unknown', score: 0 };
  }
}

function setAdd(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}

function setDelete(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
