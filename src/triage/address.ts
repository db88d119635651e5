// Finds where a message is about in free text: street (by any of its names, old or new, in Russian, Kazakh or
// Latin, inflected), house, flat, or a residential area; then the district (from the point, an area, a street
// or a district named in the text). The gazetteer is the city's configuration; nothing here knows Astana.
import { classAt, classTable, isSpace, LETTER, previousAt, widthAt } from './text/chars.js';

export interface Point {
  lat: number;
  lon: number;
}
export interface GazetteerStreet {
  names: string[];
  district?: string | undefined;
  /** A representative point of the street (geocoding without a house). */
  point?: Point | undefined;
  /** Points of individual buildings, by house number as written ("40", "12/1", "5а"). */
  houses?: Record<string, Point> | undefined;
}
export interface GazetteerArea {
  names: string[];
  district?: string | undefined;
  point?: Point | undefined;
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
  /** Where the gazetteer puts it, when it has coordinates: the building, else the street or area. */
  point: (Point & { precision: 'house' | 'street' | 'area' }) | null;
}

// Words that say "street" in the three languages, in any inflection; they are not part of a street's name.
const TYPE_BEFORE = String.raw`(?:улиц\p{L}*|ул\.?|проспект\p{L}*|пр-?т\.?|пр\.|бульвар\p{L}*|б-р|переул\p{L}*|пер\.|шоссе|трасс\p{L}*|avenue|street|st\.|ave\.)`;
const TYPE_AFTER = String.raw`(?:көше\p{L}*|коше\p{L}*|даңғыл\p{L}*|дангыл\p{L}*|тас\s+жол\p{L}*|k[oö]sh[eе]\p{L}*|da[nń][gğǵ]yl\p{L}*|street|st\.?|avenue|ave\.?|str\.?)`;
const TYPE_WORDS = new RegExp(`^(?:${TYPE_BEFORE})\\s+|\\s+(?:${TYPE_AFTER})$`, 'iu');
const HOUSE = String.raw`(?:[\s,]*(?:дом|д\.|үй(?:і|дің|де)?|уй|house|h\.|№)?\s*№?\s*(\d{1,4}(?:\s*[/\\]\s*\d{1,4}|(?:-\s*|\s*-)?[а-яa-zә](?![\p{L}\d])|\s+[а-яa-zә](?![\p{L}\d\s]|\s+\d))?)(?![\d\p{L}]))?`;
const FLAT_AFTER = String.raw`(?:[\s,]*(?:кв\.?|квартира|пәтер|патер|apt\.?|flat|ап\.?)\s*№?\s*(\d{1,4}))?`;
const FLAT_KK = /(?<![\d\p{L}])(\d{1,4})\s*[-]?\s*(?:пәтер|патер)/iu;

// Russian case endings and Kazakh locative/possessive endings a bare street name can take.
const ENDING_LIST = [
  'а',
  'я',
  'у',
  'ю',
  'е',
  'ы',
  'и',
  'й',
  'ой',
  'ей',
  'ом',
  'ем',
  'ую',
  'ая',
  'ого',
  'ому',
  'ым',
  'да',
  'де',
  'та',
  'те',
  'нда',
  'нде',
  'ның',
  'нің',
];
const ENDINGS = `(?:${ENDING_LIST.join('|')})?`;
const ENDING_SET = new Set(ENDING_LIST);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fold = (s: string) => {
  const lower = s.toLowerCase();
  return lower.includes('ё') ? lower.replace(/ё/g, 'е') : lower;
};

const coreName = (name: string) => name.replace(TYPE_WORDS, '').trim();

/** A name's words without its street-type word; the last one cut to the stem that case endings attach to. */
function nameWords(name: string): string[] {
  const words = coreName(name).split(/\s+/);
  const last = words.pop() as string;
  // Cyrillic names decline ("Абая" / "Абае", "Сарыарка" / "Сарыарке"): a final vowel may be any case ending.
  const stem = /[аеёиоуыэюяьй]$/iu.test(last) && last.length > 3 ? last.slice(0, -1) : last;
  return [...words, stem];
}

// The pattern of an address, in parts: before the name, the names, after the name. A name is found by the word
// index below and checked in code, which gives the match the whole pattern gives (see `matchAt`).
const HOUSE_BEFORE = /(\d{1,4}[a-z]?)\s+/iuy;
const TYPE_BEFORE_WORD = new RegExp(`(?:${TYPE_BEFORE})\\s+`, 'iuy');
const AFTER_NAME = new RegExp(`(?:\\s+${TYPE_AFTER})?${HOUSE}${FLAT_AFTER}`, 'iuy');
const wholePattern = (names: string[]) =>
  new RegExp(
    `(?<![\\p{L}\\d])(?:(\\d{1,4}[a-z]?)\\s+)?(?:${TYPE_BEFORE}\\s+)?(?:${names.join('|')})(?![\\p{L}])(?:\\s+${TYPE_AFTER})?${HOUSE}${FLAT_AFTER}`,
    'iu',
  );

// Characters whose case-insensitive match differs from comparing lower case: ſ is s, the old Cyrillic forms ᲀ…ᲈ
// are в д о с т ъ ѣ ꙋ, U+0345 counts as a letter, İ lowers to two characters. A text holding one gets the
// whole pattern, as do names with letters beyond Latin and Cyrillic (or µ, which is also Greek μ).
export const ODD_CASE = /[\u0130\u017F\u1C80-\u1C88]|\u0345/;
const PLAIN_NAME = /^[\u0000-\u00B4\u00B6-\u012F\u0131-\u017E\u0180-\u024F\u0400-\u04FF\u2010-\u2015]*$/;

interface Entry {
  canonical: string;
  names: string[];
  district: string | null;
  kind: 'street' | 'area';
  point: Point | null;
  houses: Map<string, Point> | null;
}

interface Name {
  entry: Entry;
  /** Lower case: the words in order, the last one a stem that may take one of ENDINGS. */
  words: string[];
  pattern: string;
}

interface Match {
  index: number;
  text: string;
  houseBefore: string | undefined;
  name: number;
  matched: string;
  house: string | undefined;
  flat: string | undefined;
}

export class AddressFinder {
  private readonly names: Name[] = [];
  // The word a name can begin with in a text (its first word, or its stem plus an ending), lower case with ё
  // folded → the names, in pattern order.
  private readonly byWord = new Map<string, number[]>();
  // The first two characters of the indexed words (lower case, ё folded) and their lengths: a quick no for most words.
  private readonly beginnings = new Set<number>();
  // A bit per hash of each indexed word (see `wordHash`): most words that begin like one are none.
  private readonly hashed = new Uint8Array(1 << 13);
  private shortest = Number.POSITIVE_INFINITY;
  private longest = 0;
  // Beginnings (two or three letters) of the names' first words: most texts have none, which is the quickest no.
  private readonly heads = new Set<string>();
  private wholeOnly = false;
  private whole: RegExp | null = null;

  /** `index: false` gives every text the whole pattern, as before the word index existed (for comparison). */
  constructor(streets: readonly GazetteerStreet[], areas: readonly GazetteerArea[] = [], options: { index?: boolean } = {}) {
    const seen = new Set<string>();
    const add = (names: string[], district: string | undefined, kind: Entry['kind'], point?: Point, houses?: Record<string, Point>) => {
      const entry: Entry = {
        canonical: names[0] as string,
        names,
        district: district ?? null,
        kind,
        point: point ?? null,
        houses: houses ? new Map(Object.entries(houses).map(([h, p]) => [houseKey(h), p])) : null,
      };
      // Longest names first, so "Ұлы Дала" wins over a street called "Дала".
      for (const n of [...names].sort((a, b) => b.length - a.length)) {
        const head = fold(coreName(n)).split(/\s+/)[0]?.slice(0, 3) ?? '';
        if (head.length >= 2) this.heads.add(head);
        const words = nameWords(n);
        const pattern = [...words.slice(0, -1).map(escapeRegExp), `${escapeRegExp(words.at(-1) as string)}${ENDINGS}`].join('\\s+');
        // Spellings that differ only in the ending make the same pattern: one is enough.
        if (seen.has(pattern)) continue;
        seen.add(pattern);
        this.index(words, this.names.length);
        if (!PLAIN_NAME.test(n)) this.wholeOnly = true;
        this.names.push({ entry, words: words.map((w) => w.toLowerCase()), pattern: `(${pattern})` });
      }
    };
    for (const s of streets) add(s.names, s.district, 'street', s.point, s.houses);
    for (const a of areas) add(a.names, a.district, 'area', a.point);
    if (options.index === false) this.wholeOnly = true;
    for (const w of this.byWord.keys()) {
      this.beginnings.add(w.charCodeAt(0) * 0x10000 + (w.length > 1 ? w.charCodeAt(1) : 0));
      const h = wordHash(w, 0, w.length, null);
      this.hashed[h >>> 3]! |= 1 << (h & 7);
    }
  }

  /** Can the word text[i, j) be an indexed word, by its length and its first two characters folded? */
  private mayBegin(text: string, i: number, j: number): boolean {
    if (j - i < this.shortest || j - i > this.longest) return false;
    const folds = foldTable();
    const second = j - i > 1 ? (folds[text.charCodeAt(i + 1)] as number) : 0;
    return this.beginnings.has((folds[text.charCodeAt(i)] as number) * 0x10000 + second);
  }

  /** Can text[i, j) folded be an indexed word, by its hash? Folding each character alone is folding the word here:
   * İ, whose lower case is two characters, sends a text to the whole pattern first, and a word with Σ, whose lower
   * case depends on its place, or with an astral letter, is no indexed word either way. */
  private mayBeIndexed(text: string, i: number, j: number): boolean {
    const h = wordHash(text, i, j, foldTable());
    return ((this.hashed[h >>> 3] as number) & (1 << (h & 7))) !== 0;
  }

  /**
   * Where a name matches, the text has a word (a run of letters after neither a letter nor a digit) that is the
   * name's first word, or for a one-word name its stem plus one of ENDINGS (or nothing). Words are compared in
   * lower case with ё folded, which can only let more places through: `matchAt` decides.
   */
  private index(words: string[], name: number): void {
    const first = fold(words[0] as string);
    let letters = 0;
    while (letters < first.length && classAt(first, letters) & LETTER) letters += widthAt(first, letters);
    const add = (word: string) => {
      this.shortest = Math.min(this.shortest, word.length);
      this.longest = Math.max(this.longest, word.length);
      const list = this.byWord.get(word) ?? [];
      list.push(name);
      this.byWord.set(word, list);
    };
    if (letters === 0) this.wholeOnly = true;
    // A first word followed by a space, or with a hyphen, dot or digit ("Әл-Фараби"), is found by its letters.
    else if (letters < first.length || words.length > 1) add(first.slice(0, letters));
    else for (const e of ['', ...ENDING_LIST]) add(first + e);
  }

  find(text: string): FoundAddress | null {
    if (!this.names.length || !text) return null;
    let m: Match | null;
    if (this.wholeOnly || ODD_CASE.test(text)) {
      if (!this.anyHead(fold(text))) return null;
      m = this.matchWhole(text.slice(0, 20_000));
    } else {
      const starts = this.nameStarts(text);
      if (starts.length === 0 || !this.anyHead(fold(text))) return null;
      m = this.firstMatch(text.slice(0, 20_000), starts);
    }
    if (!m) return null;
    const entry = (this.names[m.name] as Name).entry;
    const flat = m.flat ?? FLAT_KK.exec(text.slice(m.index, m.index + m.text.length + 20))?.[1] ?? null;
    const house = m.house ? m.house.replace(/\s+/g, '') : (m.houseBefore ?? null);
    const building = house !== null ? entry.houses?.get(houseKey(house)) : undefined;
    return {
      street: entry.kind === 'street' ? entry.canonical : null,
      area: entry.kind === 'area' ? entry.canonical : null,
      house,
      flat,
      text: m.text.trim().replace(/[\s,]+$/, ''),
      district: entry.district,
      matchedName: fold(m.matched) === fold(entry.canonical) ? null : m.matched,
      point: building
        ? { ...building, precision: 'house' }
        : entry.point
          ? { ...entry.point, precision: entry.kind === 'area' ? 'area' : 'street' }
          : null,
    };
  }

  /** Does a word (letters, digits and hyphens) begin like a name's first word? */
  private anyHead(folded: string): boolean {
    let inWord = false;
    for (let i = 0; i < folded.length; i += widthAt(folded, i)) {
      const c = folded.charCodeAt(i);
      const word = c === 45 || (c >= 48 && c <= 57) || (classAt(folded, i) & LETTER) !== 0;
      if (word && !inWord && (this.heads.has(folded.slice(i, i + 2)) || this.heads.has(folded.slice(i, i + 3)))) {
        const end = this.wordEnd(folded, i);
        if ((end - i >= 2 && this.heads.has(folded.slice(i, i + 2))) || (end - i >= 3 && this.heads.has(folded.slice(i, i + 3)))) return true;
      }
      inWord = word;
    }
    return false;
  }

  private wordEnd(s: string, i: number): number {
    let j = i;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (!(c === 45 || (c >= 48 && c <= 57) || classAt(s, j) & LETTER)) break;
      j += widthAt(s, j);
    }
    return j;
  }

  /**
   * Where a known name can begin in the text: words found in the index, in order. Only a word that begins with
   * a name's first letter (in either case) and is as long as some indexed word is lower-cased and looked up.
   */
  private nameStarts(text: string): number[] {
    const starts: number[] = [];
    const table = classTable();
    let afterWord = false; // the previous character is a letter or an ASCII digit
    for (let i = 0; i < text.length; ) {
      const c = text.charCodeAt(i);
      if ((c < 0xd800 ? (table[c] as number) : classAt(text, i)) & LETTER) {
        const j = lettersEnd(text, i);
        if (!afterWord && this.mayBegin(text, i, j) && this.mayBeIndexed(text, i, j) && this.byWord.has(fold(text.slice(i, j)))) starts.push(i);
        afterWord = true;
        i = j;
        continue;
      }
      afterWord = c >= 48 && c <= 57;
      i += c < 0xd800 ? 1 : widthAt(text, i);
    }
    return starts;
  }

  /**
   * The leftmost match of the whole pattern, tried only where it can start: at a name, or before it at a
   * street-type word or a house number ("12 улица Кенесары"). Going back further than needed is harmless.
   */
  private firstMatch(subject: string, names: number[]): Match | null {
    const lower = subject.toLowerCase();
    const starts: number[] = [];
    for (const n of names) {
      if (n >= subject.length) break;
      let lo = n;
      for (const space of [true, false, true, false]) {
        while (lo > 0) {
          const k = previousAt(subject, lo);
          const c = subject.charCodeAt(k);
          if (space ? !isSpace(c) : !(c === 45 || c === 46 || (c >= 48 && c <= 57) || classAt(subject, k) & LETTER)) break;
          lo = k;
        }
      }
      for (let s = lo; s <= n; s += widthAt(subject, s)) starts.push(s);
    }
    starts.sort((a, b) => a - b);
    for (let i = 0; i < starts.length; i++) {
      if (i > 0 && starts[i] === starts[i - 1]) continue;
      const m = this.matchAt(subject, lower, starts[i] as number);
      if (m) return m;
    }
    return null;
  }

  /**
   * The whole pattern at one position, as its backtracking would find it: the lookbehind; a house number, which
   * must be followed by spaces; then, if a street-type word follows, the first name (in pattern order) after it,
   * else the first name right there. Each name is its words, then its stem, then letters that must be one of
   * ENDINGS (the pattern's ending and its `(?![\p{L}])` together). What follows the name is all optional.
   */
  private matchAt(subject: string, lower: string, s: number): Match | null {
    if (s > 0) {
      const k = previousAt(subject, s);
      const c = subject.charCodeAt(k);
      if ((c >= 48 && c <= 57) || classAt(subject, k) & LETTER) return null;
    }
    let at = s;
    let houseBefore: string | undefined;
    const c = subject.charCodeAt(s);
    if (c >= 48 && c <= 57) {
      HOUSE_BEFORE.lastIndex = s;
      const h = HOUSE_BEFORE.exec(subject);
      if (!h) return null;
      houseBefore = h[1];
      at = HOUSE_BEFORE.lastIndex;
    }
    TYPE_BEFORE_WORD.lastIndex = at;
    const named = (TYPE_BEFORE_WORD.exec(subject) && this.nameAt(lower, TYPE_BEFORE_WORD.lastIndex)) || this.nameAt(lower, at);
    if (!named) return null;
    AFTER_NAME.lastIndex = named.end;
    const after = AFTER_NAME.exec(subject) as RegExpExecArray; // every part of it is optional
    return {
      index: s,
      text: subject.slice(s, AFTER_NAME.lastIndex),
      houseBefore,
      name: named.name,
      matched: subject.slice(named.start, named.end),
      house: after[1],
      flat: after[2],
    };
  }

  private nameAt(lower: string, p: number): { name: number; start: number; end: number } | null {
    if (p >= lower.length || !(classAt(lower, p) & LETTER)) return null;
    const run = lower.slice(p, lettersEnd(lower, p));
    const names = this.byWord.get(run.includes('ё') ? run.replace(/ё/g, 'е') : run);
    if (!names) return null;
    for (const name of names) {
      const words = (this.names[name] as Name).words;
      let at = p;
      for (let w = 0; w < words.length && at >= 0; w++) {
        const word = words[w] as string;
        if (w > 0) {
          const from = at;
          while (at < lower.length && isSpace(lower.charCodeAt(at))) at++;
          if (at === from) at = -1;
        }
        at = at >= 0 && lower.startsWith(word, at) ? at + word.length : -1;
      }
      if (at < 0) continue;
      const end = lettersEnd(lower, at);
      if (end === at || ENDING_SET.has(lower.slice(at, end))) return { name, start: p, end };
    }
    return null;
  }

  /** Texts the word index cannot vouch for get the whole pattern, as before the index existed. */
  private matchWhole(subject: string): Match | null {
    this.whole ??= wholePattern(this.names.map((n) => n.pattern));
    const m = this.whole.exec(subject);
    if (!m) return null;
    const [houseBefore, ...groups] = m.slice(1);
    const n = this.names.length;
    const name = groups.slice(0, n).findIndex((g) => g !== undefined);
    return { index: m.index, text: m[0], houseBefore, name, matched: groups[name] as string, house: groups[n], flat: groups[n + 1] };
  }
}

/** A 16-bit hash of s[i, j), each code unit folded by `table` (none: as it is). */
function wordHash(s: string, i: number, j: number, table: Uint16Array | null): number {
  let h = 0x811c9dc5;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    h = Math.imul(h ^ (table ? (table[c] as number) : c), 0x01000193);
  }
  return (h ^ (h >>> 16)) & 0xffff;
}

let folds: Uint16Array | null = null;

/** Each BMP character lower-cased and ё folded, as `fold` does (İ, whose lower case is two characters, as itself). */
function foldTable(): Uint16Array {
  if (!folds) {
    folds = new Uint16Array(0x10000);
    for (let c = 0; c < 0x10000; c++) {
      const f = c >= 0xd800 && c <= 0xdfff ? '' : fold(String.fromCharCode(c));
      folds[c] = f.length === 1 ? f.charCodeAt(0) : c;
    }
  }
  return folds;
}

function lettersEnd(s: string, i: number): number {
  const table = classTable();
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c < 0xd800) {
      if (!((table[c] as number) & LETTER)) break;
      j++;
    } else {
      if (!(classAt(s, j) & LETTER)) break;
      j += widthAt(s, j);
    }
  }
  return j;
}

/** The address as it may be stored on a ticket and shown to others: street and house, never the flat. */
export function publicAddress(a: FoundAddress): string | null {
  const place = a.street ?? a.area;
  if (!place) return null;
  return a.house ? `${place}, ${a.house}` : place;
}

/** "5 А", "5а" and "5-а" are one house; "12 / 1" is "12/1". */
function houseKey(house: string): string {
  return house
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/\\/g, '/');
}
