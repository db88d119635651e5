// Street and house as routing compares them. A registry row ("Кенесары, 40"), a rule (`street: ул. Кенесары`) and
// the address the triage stored for a message ("ул. Кенесары 40", "Кенесары көшесі 40", "Kenesary 40" all become
// "Кенесары, 40") meet on one key: the gazetteer's current name of the street when the gazetteer knows it (so a
// former or Kazakh or Latin name meets the current one), else the name itself without its street-type word.
import { AddressFinder, type GazetteerStreet } from '../triage/address.js';
import { foldKazakh } from '../triage/text/index.js';

/** A building (or a whole street, without a house) as routing reads it. */
export interface Place {
  /** The street as people read it: the gazetteer's current name, or the name as written. */
  street: string;
  streetKey: string;
  house: string | null;
  houseKey: string | null;
}

// Street-type words in Russian, Kazakh and English (any inflection); they are not part of a street's name.
const TYPE_WORD =
  /^(?:улиц\p{L}*|ул|проспект\p{L}*|пр|пр-т|прт|пр-кт|бульвар\p{L}*|б-р|переул\p{L}*|пер|шоссе|трасс\p{L}*|микрорайон\p{L}*|мкр|көше\p{L}*|коше\p{L}*|даңғыл\p{L}*|дангыл\p{L}*|k[oö]sh[eе]\p{L}*|da[nń][gğǵ]yl\p{L}*|street|st|str|avenue|ave|ulitsa|ul|prospekt|pr)$/u;

/** A street name reduced to what identifies it: lower case, ё and Kazakh letters folded, no type word, no punctuation. */
export function streetName(name: string): string {
  const words = foldKazakh(name.toLowerCase())
    .replace(/[«»"'`’.,;:()№]/g, ' ')
    .replace(/[‐-―]/g, '-')
    .split(/\s+/)
    .filter((w) => w && w !== '-' && !TYPE_WORD.test(w));
  // "Абылай-хан" and "Абылай хан" are one street.
  return words.join(' ').replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
}

// Latin letters that look like the Cyrillic ones a house letter is usually written with ("5a" typed for "5а").
const LOOKALIKE: Record<string, string> = { a: 'а', b: 'б', v: 'в', g: 'г', d: 'д', e: 'е', k: 'к' };

/** "5 А", "5а", "5-a" are one house; "12 / 1" and "12\1" are "12/1". */
export function houseKey(house: string): string {
  return foldKazakh(house.toLowerCase())
    .replace(/[\s-]+/g, '')
    .replace(/\\/g, '/')
    .replace(/[abvgdek]/g, (c) => LOOKALIKE[c] ?? c);
}

/** The number a house is numbered by ("12/1" → 12, "5а" → 5), for ranges such as "2-40 even". */
export function houseNumber(key: string): number | null {
  const m = /^(\d{1,5})/.exec(key);
  return m ? Number(m[1]) : null;
}

/** A house as a registry may hold it: a number first, then at most a letter, a "/n" or a "к1". */
export const HOUSE_PATTERN = /^\d{1,5}(?:\s*[/\\]\s*\d{1,4}|\s*-?\s*[\p{L}]{1,2}\d{0,3})?$/u;

// An address the gazetteer does not know, written "street[,] [дом|д.|№] house": the house is the last number.
const TRAILING_HOUSE = /^(.*?\p{L}.*?)[\s,]+(?:дом|д\.?|үй|уй|house|№)?\s*№?\s*(\d{1,5}(?:\s*[/\\]\s*\d{1,4}|\s*-?\s*\p{L}(?![\p{L}]))?)\s*$/u;

export class StreetKeys {
  private readonly finder: AddressFinder;
  private readonly known = new Map<string, { key: string; street: string; known: boolean }>();

  constructor(streets: readonly GazetteerStreet[]) {
    // Points do not matter here: only which street a name belongs to.
    this.finder = new AddressFinder(streets.map((s) => ({ names: s.names })));
  }

  /**
   * The key of a street name as a registry or a rule writes it, and whether the gazetteer knows the street (then
   * residents' messages that name it in any of its forms meet it). A name the gazetteer finds only a part of
   * ("Бауыржана Момышулы" when it knows "Момышұлы") keeps its own key: better no match than a wrong street.
   */
  street(name: string): { key: string; street: string; known: boolean } {
    const cached = this.known.get(name);
    if (cached) return cached;
    const found = this.finder.find(name);
    const whole = Boolean(found?.street) && found?.house === null && streetName(name.replace(found.text, ' ')) === '';
    const entry =
      whole && found?.street
        ? { key: streetName(found.street), street: found.street, known: true }
        : { key: streetName(name), street: name.trim(), known: false };
    this.known.set(name, entry);
    return entry;
  }

  /** A place from an address as the triage stored it, or as a sender typed it; null when it names no street. */
  place(address: string | null | undefined): Place | null {
    const text = address?.trim();
    if (!text) return null;
    const found = this.finder.find(text);
    if (found?.street) {
      return { street: found.street, streetKey: streetName(found.street), house: found.house, houseKey: found.house ? houseKey(found.house) : null };
    }
    if (found?.area) return null; // a residential area is not a street: no building can be looked up by it
    const m = TRAILING_HOUSE.exec(text);
    const street = (m ? (m[1] as string) : text).trim().replace(/[\s,]+$/, '');
    const key = streetName(street);
    if (!key || !/\p{L}/u.test(key)) return null;
    const house = m ? (m[2] as string).replace(/\s+/g, '') : null;
    return { street, streetKey: key, house, houseKey: house ? houseKey(house) : null };
  }
}
