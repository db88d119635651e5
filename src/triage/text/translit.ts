// Kazakh between scripts: the official Latin alphabets (2017 apostrophes, 2018 acute accents, 2021 Turkic-style
// letters), the informal ASCII residents type in chats, Cyrillic → Latin, a Russian Latin-translit reader, and the
// fold that maps Kazakh-only letters to their Russian look-alikes. One model then sees one script, and "жок" from
// a phone without a Kazakh keyboard meets "жоқ" from an e-mail.

export type LatinScheme = '2017' | '2018' | '2021' | 'chat';
export type CyrillicToLatinScheme = '2018' | '2021' | 'ascii';

/** "a=а b=б ъ=" → { a: 'а', b: 'б', ъ: '' }: transliteration tables stay readable as tables. */
function table(pairs: string): Record<string, string> {
  return Object.fromEntries(
    pairs
      .split(/\s+/)
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
}

const VOWELS_LAT = new Set('aeiouyáäéóöúüūýı');
const FULL_VOWELS = new Set('aeouáäéóöúüūý'); // vowels after which i/y is the glide й

// Letters shared by every Latin scheme; the schemes differ on i/ı/u/y/ý and the special letters.
const COMMON = table(
  'a=а b=б d=д e=е é=е f=ф g=г h=х j=ж k=к l=л m=м n=н o=о p=п q=қ r=р s=с t=т v=в z=з c=ц w=у x=х ä=ә á=ә ' +
    'ǵ=ғ ğ=ғ ń=ң ñ=ң ŋ=ң ó=ө ö=ө ú=ү ü=ү ū=ұ ý=у ş=ш ç=ч',
);
const DIGRAPHS: Record<string, string> = { sh: 'ш', ch: 'ч', zh: 'ж', gh: 'ғ', kh: 'х' };
// 2017: a letter followed by an apostrophe is the Kazakh-specific letter.
const APOSTROPHE: Record<string, string> = { a: 'ә', g: 'ғ', n: 'ң', o: 'ө', u: 'ү', y: 'у', s: 'ш', c: 'ч', i: 'и' };
const PER_SCHEME: Record<LatinScheme, Record<string, string>> = {
  '2017': { i: 'і', ı: 'і', u: 'ұ', y: 'ы' },
  '2018': { i: 'і', ı: 'и', u: 'ұ', y: 'ы' },
  '2021': { i: 'и', ı: 'і', u: 'у', y: 'ы' },
  // Chat writers mean і by "i" far more often than и, and у/ұ/ү by "u"; the fold makes the choice harmless.
  chat: { i: 'і', ı: 'і', u: 'у', y: 'ы' },
};
const APOS = /['’ʼ`]/;

/** Which Latin Kazakh scheme a text is most likely written in, from its special letters. */
export function detectLatinScheme(text: string): LatinScheme {
  const t = text.toLowerCase();
  if (/[ğñşūä]/.test(t)) return '2021';
  if (/[áǵńóúý]/.test(t)) return '2018';
  if ((t.match(/[agnouysci]['’ʼ`](?=[a-zа-я])|[agnou]['’ʼ`](?=\s|$)/g) ?? []).length >= 2) return '2017';
  if (/ı/.test(t)) return '2021';
  return 'chat';
}

function matchCase(src: string, out: string, allCaps: boolean): string {
  if (src === src.toLowerCase() || out === '') return out;
  return allCaps ? out.toUpperCase() : out[0]!.toUpperCase() + out.slice(1);
}

/** Latin-script Kazakh (any official or chat form) → Kazakh Cyrillic. Non-Latin characters pass through. */
export function latinToCyrillic(text: string, scheme: LatinScheme | 'auto' = 'auto'): string {
  const s = scheme === 'auto' ? detectLatinScheme(text) : scheme;
  const own = PER_SCHEME[s];
  return text.replace(/[\p{Script=Latin}'’ʼ`]+/gu, (word) => {
    const allCaps = word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase();
    const w = word.toLowerCase().replace(/i̇/g, 'i');
    const src = word.replace(/İ/g, 'I');
    let out = '';
    for (let i = 0; i < w.length; ) {
      const c = w[i]!;
      const next = w[i + 1] ?? '';
      const prev = w[i - 1] ?? '';
      const two = c + next;
      let cyr: string | undefined;
      let len = 1;
      if (APOS.test(c)) {
        i++;
        continue;
      } else if (APOS.test(next) && APOSTROPHE[c] && (s === '2017' || /\p{L}/u.test(w[i + 2] ?? ''))) {
        cyr = c === 'i' ? (VOWELS_LAT.has(prev) ? 'й' : 'и') : APOSTROPHE[c];
        len = 2;
      } else if (DIGRAPHS[two]) {
        cyr = DIGRAPHS[two];
        len = 2;
      } else if (s === 'chat' && two === 'ng' && !VOWELS_LAT.has(w[i + 2] ?? '')) {
        cyr = 'ң'; // "mening", "keng": ng before a consonant or at the end is ң
        len = 2;
      } else if (s === 'chat' && c === 'y' && FULL_VOWELS.has(prev) && !VOWELS_LAT.has(next)) {
        cyr = 'й'; // "qalay", "aytu": y after a vowel is the glide
      } else if (s === 'chat' && c === 'y' && 'aou'.includes(next) && (prev === '' || FULL_VOWELS.has(prev))) {
        cyr = next === 'a' ? 'я' : next === 'u' ? 'ю' : 'ё';
        len = 2;
      } else if ((c === 'i' && (s === '2021' || s === 'chat')) || (c === 'ı' && s === '2018')) {
        // The letter that stands for и/й is й after a vowel ("söilesıp", "qalai", "uide").
        cyr = FULL_VOWELS.has(prev) ? 'й' : (own[c] ?? 'и');
      } else {
        cyr = own[c] ?? COMMON[c];
      }
      out += matchCase(src.slice(i, i + len), cyr ?? c, allCaps);
      i += len;
    }
    return out;
  });
}

const CYR_LAT_2021 = table(
  'а=a ә=ä б=b в=v г=g ғ=ğ д=d е=e ё=io ж=j з=z и=i й=i к=k қ=q л=l м=m н=n ң=ñ о=o ө=ö п=p р=r с=s т=t у=u ' +
    'ұ=ū ү=ü ф=f х=h һ=h ц=ts ч=ch ш=ş щ=şş ъ= ы=y і=ı ь= э=e ю=iu я=ia',
);
const CYR_LAT_2018: Record<string, string> = {
  ...CYR_LAT_2021,
  ...table('ә=á ғ=ǵ и=ı й=ı ң=ń ө=ó у=ý ұ=u ү=ú ш=sh щ=sh і=i ё=ıo ю=ıý я=ıá'),
};
// What residents type on a Latin keyboard: plain ASCII, q for қ, sh/ch/zh kept as digraphs' closest relatives.
const CYR_LAT_ASCII: Record<string, string> = {
  ...CYR_LAT_2021,
  ...table('ә=a ғ=g ң=n ө=o ұ=u ү=u ш=sh щ=sh і=i ё=yo ю=yu я=ya й=y'),
};
const CYR_LAT: Record<CyrillicToLatinScheme, Record<string, string>> = { '2018': CYR_LAT_2018, '2021': CYR_LAT_2021, ascii: CYR_LAT_ASCII };

/** Kazakh Cyrillic → Latin in the given scheme (default: the 2021 alphabet). Non-Cyrillic characters pass through. */
export function cyrillicToLatin(text: string, scheme: CyrillicToLatinScheme = '2021'): string {
  const map = CYR_LAT[scheme];
  // The 2021 capital of i (и/й) is dotted İ; that of ı (і) is plain I.
  const upper = (t: string) => (scheme === '2021' ? t.replace(/i/g, 'İ') : t).toUpperCase();
  return text.replace(/\p{Script=Cyrillic}+/gu, (word) => {
    const allCaps = word.length > 1 && word === word.toUpperCase();
    let out = '';
    for (const ch of word) {
      const lower = ch.toLowerCase();
      const lat = map[lower] ?? lower;
      out += ch === lower ? lat : allCaps ? upper(lat) : upper(lat.charAt(0)) + lat.slice(1);
    }
    return out;
  });
}

const FOLD = table('қ=к ә=а ө=о ұ=у ү=у і=и ң=н ғ=г һ=х ё=е Қ=К Ә=А Ө=О Ұ=У Ү=У І=И Ң=Н Ғ=Г Һ=Х Ё=Е');

/** Kazakh-only Cyrillic letters → the Russian letters people type instead (қ→к, ә→а, ө→о, ұ/ү→у, і→и, ң→н, ғ→г, һ→х; ё→е). */
export function foldKazakh(text: string): string {
  return text.replace(/[қәөұүіңғһёҚӘӨҰҮІҢҒҺЁ]/g, (c) => FOLD[c] ?? c);
}

// Russian typed in Latin letters ("svet net", "goryachey vody"): longest sequences first.
const RU_SEQ = Object.entries(table('shch=щ sch=щ zh=ж kh=х ts=ц ch=ч sh=ш ya=я yu=ю yo=ё ja=я ju=ю jo=ё ye=е iy=ий yy=ый ei=ей ey=ей'));
const RU_ONE = table('a=а b=б v=в g=г d=д e=е z=з i=и y=ы k=к l=л m=м n=н o=о p=п r=р s=с t=т u=у f=ф h=х c=ц x=кс w=в q=к j=й ' + "'=ь");

/** Russian written in Latin letters → Cyrillic (lower case), so Russian word lists can read it. */
export function russianLatinToCyrillic(text: string): string {
  return text.toLowerCase().replace(/[a-z']+/g, (w) => {
    let out = '';
    for (let i = 0; i < w.length; ) {
      const seq = RU_SEQ.find(([lat]) => w.startsWith(lat, i));
      const prevVowel = i > 0 && 'aeiouy'.includes(w[i - 1]!);
      if (seq && !(seq[0] === 'ye' && i > 0 && !prevVowel)) {
        out += seq[1];
        i += seq[0].length;
      } else {
        // After a vowel, y is й ("dobroy", "pozhaluysta").
        out += w[i] === 'y' && prevVowel ? 'й' : (RU_ONE[w[i]!] ?? w[i]);
        i++;
      }
    }
    return out;
  });
}

// A spelling-blind key for Russian words in either script, so "ochen", "uje", "uzhe", "pozhaluysta" meet
// "очень", "уже", "пожалуйста": soft signs dropped, ж/й both "j", е/ё/э all "e".
const RU_SKELETON = table(
  'а=a б=b в=v г=g д=d е=e ё=e ж=j з=z и=i й=j к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f х=h ц=c ч=ch ' + 'ш=sh щ=sh ъ= ы=y ь= э=e ю=yu я=ya',
);

/** Spelling-blind key of a Russian word written in Cyrillic or in any common Latin transliteration. */
export function russianSkeleton(word: string): string {
  const w = word.toLowerCase();
  if (/[а-яё]/.test(w)) return Array.from(w, (c) => RU_SKELETON[c] ?? c).join('');
  return w
    .replace(/['’]/g, '')
    .replace(/s?shch|sch/g, 'sh')
    .replace(/zh/g, 'j')
    .replace(/kh/g, 'h')
    .replace(/ts/g, 'c')
    .replace(/iu/g, 'yu')
    .replace(/y[oe]/g, 'e') // j stays: in "uje", "mojno" it is ж, which the key also writes j
    .replace(/([aeiouy])y(?![aeiou])/g, '$1j')
    .replace(/w/g, 'v')
    .replace(/x/g, 'ks')
    .replace(/q/g, 'k');
}
