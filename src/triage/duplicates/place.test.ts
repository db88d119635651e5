import { describe, expect, it } from 'vitest';
import { rng } from './generate.js';
import { addressKey, Grid, haversineMeters, validPoint } from './place.js';

describe('haversineMeters', () => {
  it('measures one degree of latitude as about 111.2 km and Baiterek to Khan Shatyr as about 1.9 km', () => {
    expect(haversineMeters(51, 71, 52, 71)).toBeCloseTo(111_195, -2);
    expect(haversineMeters(51.1283, 71.4305, 51.1324, 71.4036)).toBeGreaterThan(1850);
    expect(haversineMeters(51.1283, 71.4305, 51.1324, 71.4036)).toBeLessThan(2000);
    expect(haversineMeters(51.1, 71.4, 51.1, 71.4)).toBe(0);
  });

  it('accepts only finite coordinates in range', () => {
    expect(validPoint(51.1, 71.4)).toBe(true);
    expect(validPoint(Number.NaN, 71.4)).toBe(false);
    expect(validPoint(95, 71.4)).toBe(false);
    expect(validPoint(null, 71.4)).toBe(false);
  });
});

describe('Grid', () => {
  it('puts every point within cellMeters of another into its neighbour cells', () => {
    const grid = new Grid(60);
    const r = rng(4);
    for (let i = 0; i < 5000; i++) {
      const lat = 51.05 + r() * 0.2;
      const lon = 71.3 + r() * 0.3;
      // A second point at a random bearing, up to 60 m away.
      const d = r() * 60;
      const bearing = r() * 2 * Math.PI;
      const lat2 = lat + ((d * Math.cos(bearing)) / 6_371_008.8) * (180 / Math.PI);
      const lon2 = lon + ((d * Math.sin(bearing)) / (6_371_008.8 * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
      if (haversineMeters(lat, lon, lat2, lon2) > 60) continue;
      expect(grid.neighbourCells(lat, lon)).toContain(grid.cell(lat2, lon2));
    }
  });
});

describe('addressKey', () => {
  it('gives one key for one building however the address is written', () => {
    const key = addressKey('ул. Кенесары, д. 12');
    expect(key).toBe('кенес#12');
    for (const a of [
      'Кенесары 12',
      'Кенесары көшесі, 12 үй',
      'кенесары кошеси 12 уй',
      'г. Астана, улица Кенесары, дом 12, кв. 5',
      'Кенесары көшесі 12 үй 45 пәтер',
    ]) {
      expect(addressKey(a), a).toBe(key);
    }
    expect(addressKey('Кабанбай батыра 40')).toBe(addressKey('Қабанбай батыр көшесі, 40 үй'));
    expect(addressKey('пр. Мангилик Ел 55/1')).toBe(addressKey('Мәңгілік Ел даңғылы 55/1'));
  });

  it('keeps different buildings on one street apart', () => {
    expect(addressKey('Кенесары 12')).not.toBe(addressKey('Кенесары 14'));
    expect(addressKey('Кенесары 12')).not.toBe(addressKey('Кенесары 12а'));
    expect(addressKey('Кенесары 12')).not.toBe(addressKey('Туран 12'));
  });

  it('names no building without a house number', () => {
    expect(addressKey('улица Кенесары')).toBeNull();
    expect(addressKey('12')).toBeNull();
    expect(addressKey('')).toBeNull();
    expect(addressKey(null)).toBeNull();
    expect(addressKey('\u0000\ud800 ☃')).toBeNull();
  });
});
