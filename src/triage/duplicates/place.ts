// Place evidence for duplicate detection: great-circle distance, a grid for "who is near this point", and a
// building key from an address string. Parsing free text into an address is the address stage's job (triage
// point 7); this only makes two already-extracted addresses of one building compare equal.

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export const validPoint = (lat: unknown, lon: unknown): boolean =>
  typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

/**
 * Square-ish cells of `cellMeters`: rows by latitude, and within a row columns sized for that row's latitude,
 * so a cell is about cellMeters wide anywhere. Everything within cellMeters of a point lies in the point's
 * row ±1 and, in each such row, column ±1 — `neighbourCells` lists exactly those.
 */
export class Grid {
  private readonly dLat: number;

  constructor(readonly cellMeters: number) {
    this.dLat = (cellMeters / EARTH_RADIUS_M) * (180 / Math.PI);
  }

  private dLon(row: number): number {
    // The row's edge nearer the pole is the narrowest: sizing columns by it keeps cells ≥ cellMeters wide.
    const edge = Math.min(89.9, Math.max(Math.abs(row * this.dLat), Math.abs((row + 1) * this.dLat)));
    return this.dLat / Math.cos(rad(edge));
  }

  cell(lat: number, lon: number): string {
    const row = Math.floor(lat / this.dLat);
    return `${row}:${Math.floor(lon / this.dLon(row))}`;
  }

  neighbourCells(lat: number, lon: number): string[] {
    const row = Math.floor(lat / this.dLat);
    const out: string[] = [];
    for (let r = row - 1; r <= row + 1; r++) {
      const col = Math.floor(lon / this.dLon(r));
      for (let c = col - 1; c <= col + 1; c++) out.push(`${r}:${c}`);
    }
    return out;
  }
}

const KK_FOLD: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };
// Kazakh letters are folded first, as residents often type without them ("Кенесары кошеси 12 уй").
const fold = (s: string) => s.replace(/[әғқңөұүһі]/g, (c) => KK_FOLD[c] ?? c);

// Words that say what kind of street or building part a token is, not which one (ru and kk, with short forms).
const STREET_WORDS = new Set(
  [
    'ул',
    'улица',
    'улицы',
    'улице',
    'пр',
    'пр-т',
    'просп',
    'проспект',
    'проспекта',
    'пер',
    'переулок',
    'бул',
    'бульвар',
    'шоссе',
    'ш',
    'мкр',
    'микрорайон',
    'жк',
    'г',
    'город',
    'астана',
    'көше',
    'көшесі',
    'көшесінде',
    'даңғылы',
    'даңғылында',
    'даңғ',
    'шағын',
    'ауданы',
    'ш/а',
    'д',
    'дом',
    'үй',
    'үйде',
    'корпус',
    'корп',
    'к',
    'блок',
    'строение',
    'стр',
  ].map(fold),
);
const FLAT_WORDS = new Set(['кв', 'квартира', 'пәтер', 'офис', 'подъезд', 'этаж', 'қабат', 'кіреберіс'].map(fold));
const HOUSE = /^\d+[а-яa-z]?(?:\/\d+[а-яa-z]?)?$/;
const STEM = 5;

/**
 * "ул. Кенесары, д. 12, кв. 5", "Кенесары көшесі 12 үй 5 пәтер" and "Кенесары 12" all give "кенес#12".
 * Street words are cut to a 5-letter prefix (a cheap stem: "батыра"/"батыр", "көшесінде" is dropped anyway)
 * and sorted; the flat is dropped because one pipe floods a whole building. Null when no house number is
 * found: a street alone names no building, and two problems on one street must not merge on it.
 */
export function addressKey(address: string | null | undefined): string | null {
  if (!address) return null;
  const tokens = fold(address.toLowerCase().replace(/ё/g, 'е')).match(/[\p{L}\p{N}/-]+/gu) ?? [];
  const dropped = new Set<number>();
  tokens.forEach((t, i) => {
    if (!FLAT_WORDS.has(t)) return;
    dropped.add(i);
    // Russian puts the number after the marker ("кв 5"), Kazakh before it ("5 пәтер").
    if (i + 1 < tokens.length && /^\d/.test(tokens[i + 1] as string)) dropped.add(i + 1);
    else if (i > 0 && /^\d/.test(tokens[i - 1] as string)) dropped.add(i - 1);
  });
  let house: string | null = null;
  const street: string[] = [];
  tokens.forEach((t, i) => {
    if (dropped.has(i) || STREET_WORDS.has(t)) return;
    if (HOUSE.test(t)) house ??= t;
    else if (/^\p{L}/u.test(t)) street.push(t.slice(0, STEM));
  });
  if (!house || street.length === 0) return null;
  return `${street.sort().join(' ')}#${house}`;
}
