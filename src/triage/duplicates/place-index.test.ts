import { describe, expect, it } from 'vitest';
import { addressKey } from './place.js';
import { type Placed, PlaceIndex } from './place-index.js';

const HOUSE = { lat: 51.165, lon: 71.42 };
const north = (m: number) => ({ lat: HOUSE.lat + m / 111_195, lon: HOUSE.lon });
const placed = (id: string, p: Partial<Placed>): Placed => ({ id, point: null, key: null, district: null, ...p });

describe('PlaceIndex', () => {
  it('grades place evidence from the best thing both items know', () => {
    const idx = new PlaceIndex(60, 300);
    const k12 = addressKey('Кенесары 12');
    expect(idx.compare(placed('a', { key: k12 }), placed('b', { key: k12 }))).toEqual({ evidence: 'same', score: 1, sameAddress: true });
    expect(idx.compare(placed('a', { key: k12 }), placed('b', { key: addressKey('Кенесары 14') }))).toBeNull();
    expect(idx.compare(placed('a', { point: HOUSE }), placed('b', { point: north(40) }))).toMatchObject({ evidence: 'same', distanceMeters: 40 });
    expect(idx.compare(placed('a', { point: HOUSE }), placed('b', { point: north(180) }))).toMatchObject({ evidence: 'near', score: 0.75 });
    expect(idx.compare(placed('a', { point: HOUSE }), placed('b', { point: north(400) }))).toBeNull();
    expect(idx.compare(placed('a', { district: 'esil' }), placed('b', { district: 'esil' }))).toEqual({ evidence: 'district', score: 0.25 });
    expect(idx.compare(placed('a', { district: 'esil' }), placed('b', { district: 'nura' }))).toBeNull();
    expect(idx.compare(placed('a', { district: 'esil' }), placed('b', {}))).toEqual({ evidence: 'unknown', score: 0 });
  });

  it('learns a building point from an item that carries both, and forgets it when that item goes', () => {
    const idx = new PlaceIndex(60, 300);
    const call = placed('call', { key: addressKey('Кенесары 12') });
    const tg = placed('tg', { point: north(20) });
    idx.add(call);
    expect(idx.samePlaceIds(tg).has('call')).toBe(false);
    const both = placed('both', { key: addressKey('Кенесары көшесі 12 үй'), point: HOUSE });
    idx.add(both);
    expect(idx.samePlaceIds(tg)).toEqual(new Set(['call', 'both']));
    expect(idx.compare(call, tg)).toMatchObject({ evidence: 'same', distanceMeters: 20 });
    idx.remove(both);
    expect(idx.pointOf(call)).toBeNull();
    expect(idx.samePlaceIds(tg).size).toBe(0);
  });
});
