// Language of an appeal: Russian, Kazakh (Cyrillic or Latin, official or chat spelling, with or without Kazakh
// letters), English, or "mixed" when a resident switches language mid-message. Each word is weighed on its own
// (Kazakh letters, word lists, endings, then character trigrams) and the words vote; a confidence says how much
// evidence there was, so "Су жоқ" is kk but less surely than a paragraph.
import { CYRILLIC, classAt, classTable, isSpace, LATIN, LETTER, LOWER, NUMBER, previousAt, UPPER, widthAt } from './chars.js';
import { EN_ENDINGS, endingScore, KK_ENDINGS, LEXICON, RU_ENDINGS } from './lexicon.js';
import { MARKERS, type NormalisedText, normalise } from './normalise.js';
import { detectLatinScheme, foldKazakh, type LatinScheme, latinToCyrillic, russianLatinToCyrillic, russianSkeleton } from './translit.js';
import { TRIGRAMS, wordLikelihood } from './trigrams.js';

export type DetectedLanguage = 'ru' | 'kk' | 'en' | 'mixed';
export type Script = 'cyrillic' | 'latin' | 'mixed' | 'none';
type Lang = 'ru' | 'kk' | 'en';
export type LanguageParts = Record<Lang, number>;

export interface LanguageResult {
  language: DetectedLanguage;
  script: Script;
  /** 0 (no evidence: empty, digits, emoji) … 0.99. */
  confidence: number;
  /** Share of the decided words in each language (sums to 1 when any word was decided). */
  parts: LanguageParts;
}

export interface WordEvidence extends LanguageParts {
  /** Set when the word is in one language's word list only: a function word or a common word, not a name. */
  anchor?: Lang;
}

const LANGS: Lang[] = ['ru', 'kk', 'en'];
const KK_CYR = /[әғқңөұүһі]/;
const KK_LAT = /[áǵńóúýıäğñşūöü]/;
const RU_ONLY = /[ьъщцэф]/;
const MAX_WORDS = 400; // a 50 kB e-mail is decided by its first few hundred words

/** Add a trigram vote: the best-fitting language gets the margin, capped so trigrams never outvote a word list. */
function addTrigramVote(e: WordEvidence, ll: Partial<Record<Lang, number>>, length: number, cap: number): void {
  const ranked = (Object.entries(ll) as [Lang, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || !second) return;
  const margin = Math.min(cap, (best[1] - second[1]) * 1.5) * Math.min(1, length / 5);
  e[best[0]] += margin;
}

function cyrillicWord(w: string): WordEvidence {
  const e: WordEvidence = { ru: 0, kk: 0, en: 0 };
  const f = foldKazakh(w);
  const kkLetters = KK_CYR.test(w);
  const inRu = !kkLetters && LEXICON.ru.has(f);
  const inKk = LEXICON.kk.has(f);
  if (kkLetters) e.kk += 3;
  if (inRu) e.ru += 2.5;
  if (inKk) e.kk += 2.5;
  if (inRu !== inKk) e.anchor = inRu ? 'ru' : 'kk';
  if (RU_ONLY.test(w)) e.ru += 2;
  if (inRu || inKk || kkLetters || w.length < 3) return e;
  e.kk += endingScore(f, KK_ENDINGS);
  e.ru += endingScore(f, RU_ENDINGS);
  addTrigramVote(e, { ru: wordLikelihood(f, TRIGRAMS.ru), kk: wordLikelihood(f, TRIGRAMS.kkFolded) }, f.length, 1.5);
  return e;
}

function latinWord(w: string, scheme: LatinScheme): WordEvidence {
  const e: WordEvidence = { ru: 0, kk: 0, en: 0 };
  const plain = w.replace(/['’]/g, '');
  const kc = foldKazakh(latinToCyrillic(w, scheme).toLowerCase());
  const rc = russianLatinToCyrillic(plain);
  const inEn = LEXICON.en.has(w) || LEXICON.en.has(plain);
  const inKk = LEXICON.kk.has(kc);
  const inRu = LEXICON.ruLatin.has(russianSkeleton(plain));
  if (KK_LAT.test(w)) e.kk += 3;
  if (/q(?!u)/.test(w) || /[agnou]['’]\p{L}/u.test(w)) e.kk += 2;
  if (inEn) e.en += 2.5;
  if (inKk) e.kk += 2.5;
  // One- and two-letter Russian words in Latin ("i", "a", "no") are more often English.
  if (inRu) e.ru += plain.length <= 2 ? 1.5 : 2.5;
  const hits = LANGS.filter((l) => (l === 'en' ? inEn : l === 'kk' ? inKk : inRu));
  // Short English words ("no", "on", "to", "i") also occur in Russian and Kazakh typed in Latin: never an anchor.
  if (hits.length === 1 && !(hits[0] === 'en' && plain.length < 3)) e.anchor = hits[0];
  if (hits.length || plain.length < 3) return e;
  e.en += endingScore(plain, EN_ENDINGS);
  e.kk += endingScore(kc, KK_ENDINGS);
  e.ru += endingScore(rc, RU_ENDINGS);
  const ll = { en: wordLikelihood(plain, TRIGRAMS.en), kk: wordLikelihood(kc, TRIGRAMS.kkFolded), ru: wordLikelihood(rc, TRIGRAMS.ru) };
  // Trigrams compare poorly across transliterations, so alone they stay below a word's decision threshold.
  addTrigramVote(e, ll, plain.length, 0.9);
  return e;
}

// Words repeat across appeals; remembering their evidence makes bulk runs several times faster. The evidence and
// the word's letter counts are one object: a look-up is then one read less from memory.
interface WordInfo extends WordEvidence {
  cyr: number;
  lat: number;
}
const caches: Record<LatinScheme, Map<string, WordInfo>> = { '2017': new Map(), '2018': new Map(), '2021': new Map(), chat: new Map() };

function wordInfo(word: string, scheme: LatinScheme, cache: Map<string, WordInfo> = caches[scheme]): WordInfo {
  const hit = cache.get(word);
  if (hit) return hit;
  let cyr = 0;
  let lat = 0;
  for (let i = 0; i < word.length; i += widthAt(word, i)) {
    const c = classAt(word, i);
    if (c & CYRILLIC) cyr++;
    else if (c & LATIN) lat++;
  }
  const e = cyr === 0 && lat === 0 ? { ru: 0, kk: 0, en: 0 } : cyr >= lat ? cyrillicWord(word) : latinWord(word, scheme);
  if (cache.size > 100_000) cache.clear();
  const info: WordInfo = { ru: e.ru, kk: e.kk, en: e.en, anchor: e.anchor, cyr, lat };
  cache.set(word, info);
  return info;
}

/** The evidence one lower-case word gives for each language (exported for explanations and tests). */
export function wordEvidence(word: string, scheme: LatinScheme = 'chat'): WordEvidence {
  return wordInfo(word, scheme);
}

function scriptOf(cyr: number, lat: number): Script {
  const letters = cyr + lat;
  if (letters === 0) return 'none';
  if (Math.min(cyr, lat) / letters >= 0.2) return 'mixed';
  return cyr > lat ? 'cyrillic' : 'latin';
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Capitalised words inside a sentence ("улице Сарыарқа", "ТРЦ Хан Шатыр"): names, so never an anchor. Each is
 * what `/(?<=[\p{L}\p{N},;:)»"]\s+)\p{Lu}\p{Ll}+/gu` matches: an upper-case letter and the lower-case ones after
 * it, after spaces that follow a letter, a digit or , ; : ) » ".
 */
export function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  const table = classTable();
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    // Most characters are not an upper-case letter: the table says so without a call.
    if (c < 0xd800 && !((table[c] as number) & UPPER)) {
      i++;
      continue;
    }
    const w = widthAt(text, i);
    if (!(classAt(text, i) & UPPER) || !(classAt(text, i + w) & LOWER) || !afterWordAndSpace(text, i)) {
      i += w;
      continue;
    }
    let end = i + w;
    while (end < text.length && classAt(text, end) & LOWER) end += widthAt(text, end);
    const name = text.slice(i, end).toLowerCase();
    names.add(name.includes('ё') ? name.replace(/ё/g, 'е') : name);
    i = end;
  }
  return names;
}

function afterWordAndSpace(text: string, i: number): boolean {
  let k = i;
  while (k > 0 && isSpace(text.charCodeAt(k - 1))) k--;
  if (k === i || k === 0) return false;
  const before = previousAt(text, k);
  const c = text.charCodeAt(before);
  return (classAt(text, before) & (LETTER | NUMBER)) !== 0 || c === 44 || c === 59 || c === 58 || c === 41 || c === 0xbb || c === 34;
}

/** Detect the language and script of an appeal (plain text or HTML). Never throws; empty text has confidence 0. */
export function detectLanguage(text: string): LanguageResult {
  const input = typeof text === 'string' ? text : '';
  return languageOf(normalise(input), input);
}

/** `detectLanguage` for a text already normalised (`norm` is `normalise(input)`), so triage normalises once. */
export function languageOf(norm: NormalisedText, input: string): LanguageResult {
  // Names matter only for a word that anchors a language; most texts are decided before one is asked about.
  let names: Set<string> | null = null;
  const scheme = /[a-zá-ū]/.test(norm.text) ? detectLatinScheme(norm.text) : 'chat';
  const parts: LanguageParts = { ru: 0, kk: 0, en: 0 };
  const anchors: LanguageParts = { ru: 0, kk: 0, en: 0 };
  const raw: LanguageParts = { ru: 0, kk: 0, en: 0 };
  let cyr = 0;
  let lat = 0;
  let evidence = 0;
  let decidedWords = 0;
  let seen = 0;
  const cache = caches[scheme];
  for (let i = 0; i < norm.tokens.length && seen < MAX_WORDS; i++) {
    const w = norm.tokens[i]!;
    if (w === MARKERS.mention) i++; // a handle is a name, not language
    if (w.startsWith('__')) continue;
    const e = wordInfo(w, scheme, cache);
    if (e.cyr + e.lat === 0) continue;
    seen++;
    cyr += e.cyr;
    lat += e.lat;
    raw.ru += e.ru;
    raw.kk += e.kk;
    raw.en += e.en;
    // The strongest language (the first of ru, kk, en on a tie) and the strongest of the other two.
    let top: Lang = 'ru';
    let best = e.ru;
    if (e.kk > best) {
      top = 'kk';
      best = e.kk;
    }
    if (e.en > best) {
      top = 'en';
      best = e.en;
    }
    const second = Math.max(0, top === 'ru' ? e.kk : e.ru, top === 'en' ? e.kk : e.en);
    evidence += Math.min(4, best);
    if (best < 1 || best - second < 0.5) continue;
    parts[top] += Math.min(1, (best - second) / 2.5);
    decidedWords++;
    if (e.anchor !== top) continue;
    names ??= namesIn(input.slice(0, 20_000));
    if (!names.has(w)) anchors[top]++;
  }
  const script = scriptOf(cyr, lat);
  const strength = 1 - Math.exp(-evidence / 3);
  const decided = parts.ru + parts.kk + parts.en;
  if (decided === 0) {
    // No word is clear on its own ("Тартпадым", "Корейк"): the summed weak evidence decides, with low confidence.
    const total = raw.ru + raw.kk + raw.en;
    if (total === 0) return { language: 'ru', script, confidence: 0, parts };
    const best = [...LANGS].sort((a, b) => raw[b] - raw[a])[0]!;
    for (const l of LANGS) parts[l] = round(raw[l] / total);
    return { language: best, script, confidence: round(0.5 * strength * parts[best]), parts };
  }
  for (const l of LANGS) parts[l] = round(parts[l] / decided);

  const [main, minor] = [...LANGS].sort((a, b) => parts[b] - parts[a]) as [Lang, Lang, Lang];
  // Code-switching needs the second language's own common words, not just a name or a loanword in its letters.
  if (parts[minor] >= 0.18 && anchors[minor] >= 1 && (anchors[minor] >= 2 || decidedWords <= 12)) {
    return { language: 'mixed', script, confidence: round(Math.min(0.99, strength * (0.5 + parts[minor]))), parts };
  }
  return { language: main, script, confidence: round(Math.min(0.99, strength * parts[main])), parts };
}
