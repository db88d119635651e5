// HTML character references: the named entities that portals and mail clients actually emit (all of Latin-1,
// the Cyrillic set, typography) and every numeric form. Unknown names are left as written, as browsers do.

// Latin-1 names in code-point order from U+00A0, so the table stays short and cannot drift from the standard.
const LATIN1 = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro ' +
  'para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil ' +
  'Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave ' +
  'Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml ' +
  'igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute ' +
  'thorn yuml'
).split(' ');
// Cyrillic А..Я in code-point order from U+0410; the small letters are the same names in lower case from U+0430.
const CYRILLIC = (
  'Acy Bcy Vcy Gcy Dcy IEcy ZHcy Zcy Icy Jcy Kcy Lcy Mcy Ncy Ocy Pcy Rcy Scy Tcy Ucy Fcy KHcy TScy CHcy SHcy SHCHcy ' +
  'HARDcy Ycy SOFTcy Ecy YUcy YAcy'
).split(' ');
const OTHER: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  IOcy: 'Ё',
  iocy: 'ё',
  Iukcy: 'І',
  iukcy: 'і',
  YIcy: 'Ї',
  yicy: 'ї',
  Jukcy: 'Є',
  jukcy: 'є',
  Ubrcy: 'Ў',
  ubrcy: 'ў',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  hellip: '…',
  bull: '•',
  euro: '€',
  trade: '™',
  minus: '−',
  thinsp: '\u2009',
  ensp: '\u2002',
  emsp: '\u2003',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  dagger: '†',
  Dagger: '‡',
  permil: '‰',
  prime: '′',
  Prime: '″',
  lsaquo: '‹',
  rsaquo: '›',
  oline: '‾',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  le: '≤',
  ge: '≥',
  ne: '≠',
  asymp: '≈',
  infin: '∞',
  numero: '№',
  nbhy: '\u2011',
  hyphen: '‐',
  dash: '‐',
  tilde: '˜',
  circ: 'ˆ',
  OElig: 'Œ',
  oelig: 'œ',
  Scaron: 'Š',
  scaron: 'š',
  Yuml: 'Ÿ',
  fnof: 'ƒ',
  sdot: '⋅',
  check: '✓',
  star: '☆',
  starf: '★',
  hearts: '♥',
  phone: '☎',
  female: '♀',
  male: '♂',
  NewLine: '\n',
  Tab: '\t',
  colon: ':',
  comma: ',',
  period: '.',
  excl: '!',
  quest: '?',
  num: '#',
  percnt: '%',
  lpar: '(',
  rpar: ')',
  sol: '/',
  bsol: '\\',
  commat: '@',
  lowbar: '_',
  equals: '=',
  plus: '+',
  semi: ';',
};

const NAMED = new Map<string, string>(Object.entries(OTHER));
LATIN1.forEach((name, i) => {
  NAMED.set(name, String.fromCodePoint(0xa0 + i));
});
CYRILLIC.forEach((name, i) => {
  NAMED.set(name, String.fromCodePoint(0x410 + i));
  NAMED.set(name.toLowerCase(), String.fromCodePoint(0x430 + i));
});

// Code points a reference may not produce (NUL, surrogates, beyond Unicode) become U+FFFD, as in the HTML standard;
// the C1 range is what Windows-1252 pages meant (&#150; is an en dash).
const WINDOWS_1252: Record<number, string> = {
  128: '€',
  130: '‚',
  133: '…',
  145: '‘',
  146: '’',
  147: '“',
  148: '”',
  149: '•',
  150: '–',
  151: '—',
  153: '™',
};

const LEGACY = ['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg'];

function fromCode(code: number): string {
  if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
  return WINDOWS_1252[code] ?? String.fromCodePoint(code);
}

/** Decode named (`&laquo;`, `&iukcy;`) and numeric (`&#1179;`, `&#x1F600;`) references; the semicolon may be missing. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));?/g, (m, dec?: string, hex?: string, name?: string) => {
    if (dec) return fromCode(Number.parseInt(dec, 10));
    if (hex) return fromCode(Number.parseInt(hex, 16));
    const hit = NAMED.get(name!);
    if (hit !== undefined && m.endsWith(';')) return hit;
    // Without a semicolon only the legacy names count, as a prefix ("&copy2024", "&amp" at the end).
    const legacy = LEGACY.find((l) => name!.startsWith(l));
    return legacy ? NAMED.get(legacy)! + m.slice(legacy.length + 1) : m;
  });
}
