// Unicode character classes as a table, for the scanners that walk a text once instead of running a chain of
// regular expressions over it. The table is built from the same `\p{…}` classes the regular expressions use, so
// a scanner and a regular expression agree on every character.

export const LETTER = 1; // \p{L}
export const NUMBER = 2; // \p{N}
export const MARK = 4; // \p{M}
export const LATIN = 8; // \p{Script=Latin}
export const CYRILLIC = 16; // \p{Script=Cyrillic}
export const UPPER = 32; // \p{Lu}
export const LOWER = 64; // \p{Ll}

let table: Uint8Array | null = null;

function build(): Uint8Array {
  const t = new Uint8Array(0x10000);
  // One string holding every BMP code unit at its own index; lone surrogates would break the `u` flag, so they
  // become spaces (a surrogate pair is classified by its code point, below).
  let all = '';
  for (let start = 0; start < 0x10000; start += 0x1000) {
    const codes: number[] = [];
    for (let c = start; c < start + 0x1000; c++) codes.push(c >= 0xd800 && c <= 0xdfff ? 0x20 : c);
    all += String.fromCharCode(...codes);
  }
  const mark = (re: RegExp, bit: number) => {
    for (const m of all.matchAll(re)) for (let i = m.index; i < m.index + m[0].length; i++) t[i] = (t[i] as number) | bit;
  };
  mark(/\p{L}+/gu, LETTER);
  mark(/\p{N}+/gu, NUMBER);
  mark(/\p{M}+/gu, MARK);
  mark(/\p{Script=Latin}+/gu, LATIN);
  mark(/\p{Script=Cyrillic}+/gu, CYRILLIC);
  mark(/\p{Lu}+/gu, UPPER);
  mark(/\p{Ll}+/gu, LOWER);
  return t;
}

const ASTRAL: [RegExp, number][] = [
  [/\p{L}/u, LETTER],
  [/\p{N}/u, NUMBER],
  [/\p{M}/u, MARK],
  [/\p{Script=Latin}/u, LATIN],
  [/\p{Script=Cyrillic}/u, CYRILLIC],
  [/\p{Lu}/u, UPPER],
  [/\p{Ll}/u, LOWER],
];

// Beyond the BMP (emoji, mostly): classes as they are met.
const astral = new Map<number, number>();

/** The classes of every BMP code unit, for loops that read it directly (a surrogate needs `classAt`). */
export function classTable(): Uint8Array {
  table ??= build();
  return table;
}

/** The classes of a code point (LETTER, NUMBER, MARK, LATIN, CYRILLIC, UPPER, LOWER bits). */
export function charClass(codePoint: number): number {
  if (codePoint < 0x10000) {
    table ??= build();
    return table[codePoint] as number;
  }
  const known = astral.get(codePoint);
  if (known !== undefined) return known;
  const ch = String.fromCodePoint(codePoint);
  let bits = 0;
  for (const [re, bit] of ASTRAL) if (re.test(ch)) bits |= bit;
  if (astral.size >= 10_000) astral.clear();
  astral.set(codePoint, bits);
  return bits;
}

/** The classes of the character at `i` of `s`; a surrogate pair is read as one code point. */
export function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return charClass(c >= 0xdc00 && c <= 0xdfff ? 0x20 : c);
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? charClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) : 0;
}

/** Code units taken by the character at `i`: 2 for a surrogate pair, else 1. */
export function widthAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return 1;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

/** Index of the character before `i` (a surrogate pair counts as one). */
export function previousAt(s: string, i: number): number {
  const c = s.charCodeAt(i - 1);
  if (c < 0xdc00 || c > 0xdfff || i < 2) return i - 1;
  const h = s.charCodeAt(i - 2);
  return h >= 0xd800 && h <= 0xdbff ? i - 2 : i - 1;
}

/** `\s` of a regular expression: white space and line terminators. */
export function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
