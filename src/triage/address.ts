// Finds where a message is about in free text: street (by any of its names, old or new, in Russian, Kazakh or
// Latin, inflected), house, flat, or a residential area; then the district (from the point, an area, a street
// or a district named in the text). The gazetteer is the city's configuration; nothing here knows Astana.
import { StemIndex } from './stems.js';

export interface GazetteerStreet {
  names: string[];
  district?: string | undefined;
}
export interface GazetteerArea {
  names: string[];
  district?: string | undefined;
}

export interface FoundAddress {
  /** The street's first configured name (its current name), or the area's. */
  street: string | null;
  house: string | null;
  /** Personal-ish: kept for the executor, never published. */
  flat: string | null;
  area: string | null;
  /** What the text said, as written. */
  text: string;
  district: string | null;
  /** How the street was recognised: by the name the text used, which may be a former one. */
  matchedName: string | null;
}

// Words that say "street" in the three languages, in any inflection; they are not part of a street's name.
const TYPE_BEFORE = String.raw`(?:улиц\p{L}*|ул\.?|проспект\p{L}*|пр-?т\.?|пр\.|бульвар\p{L}*|б-р|переул\p{L}*|пер\.|шоссе|трасс\p{L}*|avenue|street|st\.|ave\.)`;
const TYPE_AFTER = String.raw`(?:көше\p{L}*|коше\p{L}*|даңғыл\p{L}*|дангыл\p{L}*|тас\s+жол\p{L}*|street|st\.?|avenue|ave\.?|str\.?)`;
const TYPE_WORDS = new RegExp(`^(?:${TYPE_BEFORE})\\s+|\\s+(?:${TYPE_AFTER})$`, 'iu');
const HOUSE = String.raw`(?:[\s,]*(?:дом|д\.|үй(?:і|дің|де)?|уй|house|h\.|№)?\s*№?\s*(\d{1,4}(?:\s*[/\\]\s*\d{1,4}|\s*[-]?\s*[а-яa-zә](?![\p{L}]))?)(?![\d\p{L}]))?`;
const FLAT_AFTER = String.raw`(?:[\s,]*(?:кв\.?|квартира|пәтер|патер|apt\.?|flat|ап\.?)\s*№?\s*(\d{1,4}))?`;
const FLAT_KK = /(?<![\d\p{L}])(\d{1,4})\s*[-]?\s*(?:пәтер|патер)/iu;

// Russian case endings and Kazakh locative/possessive endings a bare street name can take.
const ENDINGS = '(?:а|я|у|ю|е|ы|и|й|ой|ей|ом|ем|ую|ая|ого|ому|ым|да|де|та|те|нда|нде|ның|нің)?';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

const coreName = (name: string) => name.replace(TYPE_WORDS, '').trim();

/** A name without its street-type word, with a little room for case endings on its last word. */
function namePattern(name: string): string {
  const core = coreName(name);
  const words = core.split(/\s+/).map(escapeRegExp);
  const last = words.pop() as string;
  // Cyrillic names decline ("Абая" / "Абае", "Сарыарка" / "Сарыарке"): a final vowel may be any case ending.
  const stem = /[аеёиоуыэюяьй]$/iu.test(last) && last.length > 3 ? last.slice(0, -1) : last;
  return [...words, `${stem}${ENDINGS}`].join('\\s+');
}

interface Entry {
  canonical: string;
  names: string[];
  district: string | null;
  kind: 'street' | 'area';
}

export class AddressFinder {
  private readonly re: RegExp | null;
  private readonly byAlternative: Entry[] = [];

  constructor(streets: readonly GazetteerStreet[], areas: readonly GazetteerArea[] = []) {
    const alternatives: string[] = [];
    const seen = new Set<string>();
    const heads: string[] = [];
    const add = (names: string[], district: string | undefined, kind: Entry['kind']) => {
      const entry: Entry = { canonical: names[0] as string, names, district: district ?? null, kind };
      // Longest names first, so "Ұлы Дала" wins over a street called "Дала".
      for (const n of [...names].sort((a, b) => b.length - a.length)) {
        heads.push(fold(coreName(n)).split(/\s+/)[0]?.slice(0, 3) ?? '');
        const pattern = namePattern(n);
        // Spellings that differ only in the ending make the same pattern: one is enough.
        if (seen.has(pattern)) continue;
        seen.add(pattern);
        alternatives.push(`(${pattern})`);
        this.byAlternative.push(entry);
      }
    };
    for (const s of streets) add(s.names, s.district, 'street');
    for (const a of areas) add(a.names, a.district, 'area');
    this.re = alternatives.length
      ? new RegExp(
          `(?<![\\p{L}\\d])(?:(\\d{1,4}[a-z]?)\\s+)?(?:${TYPE_BEFORE}\\s+)?(?:${alternatives.join('|')})(?![\\p{L}])(?:\\s+${TYPE_AFTER})?${HOUSE}${FLAT_AFTER}`,
          'iu',
        )
      : null;
    // The full pattern is slow; most texts name no known street, and a look-up of word beginnings says so.
    this.heads = new StemIndex(
      heads.filter((h) => h.length >= 2),
      (x) => [x],
    );
  }

  private readonly heads: StemIndex;

  find(text: string): FoundAddress | null {
    if (!this.re || !text) return null;
    if (this.heads.scan(fold(text).split(/[^\p{L}\d-]+/u)).size === 0) return null;
    const m = this.re.exec(text.slice(0, 20_000));
    if (!m) return null;
    const [houseBefore, ...groups] = m.slice(1);
    const n = this.byAlternative.length;
    const idx = groups.slice(0, n).findIndex((g) => g !== undefined);
    const entry = this.byAlternative[idx] as Entry;
    const house = groups[n] ? groups[n].replace(/\s+/g, '') : (houseBefore ?? null);
    const flat = groups[n + 1] ?? FLAT_KK.exec(text.slice(m.index, m.index + m[0].length + 20))?.[1] ?? null;
    const matched = groups[idx] as string;
    return {
      street: entry.kind === 'street' ? entry.canonical : null,
      area: entry.kind === 'area' ? entry.canonical : null,
      house,
      flat,
      text: m[0].trim().replace(/[\s,]+$/, ''),
      district: entry.district,
      matchedName: fold(matched) === fold(entry.canonical) ? null : matched,
    };
  }
}

/** The address as it may be stored on a ticket and shown to others: street and house, never the flat. */
export function publicAddress(a: FoundAddress): string | null {
  const place = a.street ?? a.area;
  if (!place) return null;
  return a.house ? `${place}, ${a.house}` : place;
}
