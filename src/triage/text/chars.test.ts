import { describe, expect, it } from 'vitest';
import { CYRILLIC, charClass, classAt, isSpace, LATIN, LETTER, LOWER, MARK, NUMBER, UPPER, widthAt } from './chars.js';

const CLASSES: [number, RegExp][] = [
  [LETTER, /\p{L}/u],
  [NUMBER, /\p{N}/u],
  [MARK, /\p{M}/u],
  [LATIN, /\p{Script=Latin}/u],
  [CYRILLIC, /\p{Script=Cyrillic}/u],
  [UPPER, /\p{Lu}/u],
  [LOWER, /\p{Ll}/u],
];

describe('character classes', () => {
  it('agree with the regular expressions on every BMP character and on a sample beyond', () => {
    const points = [...Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 0xd800 || c > 0xdfff), 0x1d5e7, 0x1f621, 0x10400, 0x20000];
    for (const c of points) {
      const ch = String.fromCodePoint(c);
      for (const [bit, re] of CLASSES) expect((charClass(c) & bit) !== 0, `U+${c.toString(16)} ${re}`).toBe(re.test(ch));
    }
  });

  it('reads a surrogate pair as one character and a lone surrogate as none', () => {
    const s = `a𝗧${String.fromCharCode(0xd800)}b`;
    expect(classAt(s, 1) & LETTER).toBeTruthy();
    expect(widthAt(s, 1)).toBe(2);
    expect(classAt(s, 3)).toBe(0);
    expect(widthAt(s, 3)).toBe(1);
  });

  it('knows the spaces of \\s', () => {
    for (let c = 0; c < 0x10000; c++) expect(isSpace(c), `U+${c.toString(16)}`).toBe(/\s/.test(String.fromCharCode(c)));
  });
});
