// The lexicon reader: finds the sentiment words and phrases of a text, applies negation, intensifiers and contrast,
// and adds what punctuation, capitals and emoji say. One pass over the text's code units with fold tables and
// hashed stems (no regex, no per-word strings), so it costs a few microseconds per message.
import { type Entry, words } from './lexicon/define.js';
import { EN } from './lexicon/en.js';
import { KK } from './lexicon/kk.js';
import { MARKERS, MODIFIERS } from './lexicon/modifiers.js';
import { RU } from './lexicon/ru.js';

export interface LexiconScan {
  /** Sum of the cues' weights after negation, intensifiers, contrast and emphasis. */
  sum: number;
  /** The words, phrases and signs that made the sum, as written (lower-cased), strongest first, with their weights. */
  cues: { label: string; weight: number }[];
}

// ── Folding: lower case, ё→е, Kazakh letters to their Russian look-alikes, Latin accents dropped, apostrophes unified.
const FOLD = new Uint16Array(65536);
const UPPER = new Uint8Array(65536);
const KAZAKH: Record<string, string> = { ё: 'е', ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и', ı: 'i', ŋ: 'n' };
const APOSTROPHE = 0x27;
for (let c = 0; c < 65536; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const ch = String.fromCharCode(c);
  if (!/[\p{L}\p{N}]/u.test(ch)) continue;
  let low = ch.toLowerCase();
  if (low.length !== 1) low = ch;
  if (KAZAKH[low]) low = KAZAKH[low] as string;
  else if (c < 0x250 || (c >= 0x1e00 && c <= 0x1eff)) low = low.normalize('NFD').charAt(0); // á ñ ş → a n s
  FOLD[c] = low.charCodeAt(0) || c;
  if (low !== ch && ch.toUpperCase() === ch) UPPER[c] = 1;
}
for (const a of "'’ʼ`") FOLD[a.charCodeAt(0)] = APOSTROPHE;
const fold = (s: string) => Array.from(s, (ch) => String.fromCharCode(FOLD[ch.charCodeAt(0)] || ch.charCodeAt(0))).join('');

// ── The compiled lexicon: entries keyed by a hash of their first word (a stem's letters, or a whole word).
interface Word {
  code: string;
  prefix: boolean;
  any: boolean;
}
interface Compiled {
  entry: Entry;
  words: Word[];
}

const FNV = 0x811c9dc5;
const step = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);
const hashOf = (s: string) => {
  let h = FNV;
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i));
  return h;
};

function compile(entries: Entry[]): Map<number, Compiled[]> {
  const map = new Map<number, Compiled[]>();
  for (const entry of entries) {
    const ws = entry.pattern.split('_').map((w) => ({ code: fold(w.replace(/\*$/, '')), prefix: w.endsWith('*'), any: w === '#' }));
    const first = ws[0] as Word;
    if (first.any || !first.code) throw new Error(`sentiment lexicon: "${entry.pattern}" must start with a word`);
    const key = hashOf(first.code);
    const list = map.get(key) ?? [];
    const same = list.find(
      (c) => c.words.map((w) => `${w.code}${w.prefix ? '*' : ''}`).join('_') === ws.map((w) => `${w.code}${w.prefix ? '*' : ''}`).join('_'),
    );
    if (same) throw new Error(`sentiment lexicon: "${entry.pattern}" is listed twice (as "${same.entry.pattern}")`);
    list.push({ entry, words: ws });
    map.set(key, list);
  }
  return map;
}

export const ALL_ENTRIES: Entry[] = [...RU, ...KK, ...EN, ...MODIFIERS, ...MARKERS];
const LEXICON = compile(ALL_ENTRIES);
// One bit per low 16 bits of a key in LEXICON: most prefixes of most words are no key, and a bit says so quicker
// than the map.
const MAYBE_KEY = new Uint8Array(1 << 13);
for (const key of LEXICON.keys()) MAYBE_KEY[(key >>> 3) & 0x1fff]! |= 1 << (key & 7);

// Kazakh verbs negated by suffix, 3rd person present and past ("істемейді", "келмеді"), Cyrillic (folded) and Latin.
const NEGATIVE_VERB = words(-0.7, 'kk:-майды')[0] as Entry;
const VERB_ENDINGS =
  'майды мейди байды бейди пайды пейди мады меди бады беди пады педи maidy meidi maydy meydi baidy beidi paidy peidi mady medi bady bedi'
    .split(' ')
    .map(fold);

// ── Emoji and emoticons: one cue per distinct sign, ±2 at most in all, so a row of hearts does not drown the words.
const EMOJI = new Map<number, number>();
for (const e of '🙏👍👏🤝🌹💐❤♥💕💖💗💓💞🥰😍😘💯✅😀😁😃😄😊🙂☺🤗✨🎉👌😉😎') EMOJI.set(e.codePointAt(0) as number, 1);
for (const e of '😡😠🤬👿💢🖕😤😢😭😞😔😟☹🙁😩😫💔😥😓👎🤮🤢🤦😒🙄') EMOJI.set(e.codePointAt(0) as number, -1);

/** The text read at most: sentiment shows in the first lines, and a pasted book must not stall intake. */
export const MAX_CHARS = 5000;

// Token buffers reused across calls: start, end, flags (bit 1: a clause boundary before it; bit 2: all capitals).
let starts = new Int32Array(512);
let ends = new Int32Array(512);
let flags = new Uint8Array(512);
const BOUNDARY = 1;
const CAPS = 2;
const isBoundary = (c: number) => c === 44 || c === 46 || c === 59 || c === 58 || c === 33 || c === 63 || c === 10 || c === 40 || c === 41;

interface Cue {
  weight: number;
  label: string;
  end: number;
  negated: boolean;
}

export function scanLexicon(input: string): LexiconScan {
  const text = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  const cues: Cue[] = [];
  const signs: { weight: number; label: string }[] = [];
  let n = 0;
  let boundary = false;
  let exclaim = 0;
  let capsTokens = 0;
  let emoji = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (FOLD[c] && FOLD[c] !== APOSTROPHE) {
      let j = i;
      let upper = 0;
      let letters = 0;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (FOLD[d] && FOLD[d] !== APOSTROPHE) {
          if (UPPER[d]) upper++;
          if (d < 0x30 || d > 0x39) letters++;
          j++;
        } else if (FOLD[d] === APOSTROPHE && j > i && j + 1 < text.length && FOLD[text.charCodeAt(j + 1)]) j++;
        else break;
      }
      if (n === starts.length) grow();
      starts[n] = i;
      ends[n] = j;
      const caps = upper >= 3 && upper === letters;
      if (caps) capsTokens++;
      flags[n++] = (boundary ? BOUNDARY : 0) | (caps ? CAPS : 0);
      boundary = false;
      i = j;
      continue;
    }
    if (isBoundary(c)) boundary = true;
    if (c === 33) {
      exclaim++;
      if (text.charCodeAt(i + 1) === 63 || text.charCodeAt(i - 1) === 63) addSign(signs, -0.5, '?!');
    } else if (c === 41 || c === 40) {
      // ")))" and "(((" are Russian chat smileys; ":)" and ":(" everyone's.
      let j = i;
      while (text.charCodeAt(j) === c) j++;
      if (j - i >= 2 || text.charCodeAt(i - 1) === 58 || (text.charCodeAt(i - 1) === 45 && text.charCodeAt(i - 2) === 58))
        addSign(signs, c === 41 ? 1 : -1, c === 41 ? ':)' : ':(');
      i = j;
      continue;
    } else if (c >= 0xd800 || c === 0x2764 || c === 0x2665 || c === 0x2639 || c === 0x263a) {
      const cp = text.codePointAt(i) as number;
      const w = EMOJI.get(cp);
      if (w !== undefined && Math.abs(emoji + w) <= 2 && !signs.some((s) => s.label === String.fromCodePoint(cp))) {
        emoji += w;
        addSign(signs, w, String.fromCodePoint(cp));
      }
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    i++;
  }

  // Modifiers waiting for the next sentiment word: [until which token, start in the text, weight or factor].
  let negUntil = -1;
  let negStart = 0;
  let negOwn = 0;
  let negWord = '';
  let intUntil = -1;
  let intStart = 0;
  let factor = 1;
  let after = 1;
  let last: Cue | null = null;
  const expireNegation = () => {
    if (negUntil >= 0 && negOwn !== 0) cues.push({ weight: negOwn * after, label: negWord, end: -1, negated: false });
    negUntil = -1;
  };
  for (let t = 0; t < n; ) {
    if ((flags[t] as number) & BOUNDARY) {
      expireNegation();
      intUntil = -1;
      last = null;
    }
    if (negUntil >= 0 && t > negUntil) expireNegation();
    if (intUntil >= 0 && t > intUntil) intUntil = -1;
    const found = match(text, t, n);
    if (!found) {
      t++;
      continue;
    }
    const { entry, tokens } = found;
    const from = starts[t] as number;
    const to = ends[t + tokens - 1] as number;
    const written = text.slice(from, to);
    switch (entry.kind) {
      case 'polar': {
        if (entry.weight === 0) break;
        let w = entry.weight * after;
        let start = from;
        if (intUntil >= 0) {
          w *= factor;
          start = intStart;
          intUntil = -1;
        }
        let negated = false;
        // "нет" and "no" before a word deny what follows it: a good thing ("нет порядка"), never a bad one, since
        // "нет воды третий день" is two complaints, not one cancelled.
        if (negUntil >= 0 && (negOwn === 0 || w > 0)) {
          w = flip(w);
          start = Math.min(start, negStart);
          negUntil = -1;
          negated = true;
        }
        last = { weight: w, label: text.slice(start, to), end: t + tokens - 1, negated };
        cues.push(last);
        break;
      }
      case 'negate':
      case 'negateBoth':
      case 'negateAfter':
        if (entry.kind !== 'negate' && last && !last.negated && last.end === t - 1) {
          last.weight = flip(last.weight);
          last.negated = true;
          last.label = `${last.label} … ${written}`;
          last = null;
        } else if (entry.kind === 'negateAfter') {
          if (entry.weight !== 0) cues.push({ weight: entry.weight * after, label: written, end: t, negated: false });
        } else {
          expireNegation();
          negUntil = t + 3;
          negStart = from;
          negOwn = entry.weight;
          negWord = written;
        }
        break;
      case 'intensify':
        intUntil = t + 2;
        intStart = from;
        factor = entry.weight;
        break;
      case 'contrast':
        for (const cue of cues) cue.weight *= 0.5;
        after = entry.weight;
        expireNegation();
        last = null;
        break;
    }
    t += tokens;
  }
  expireNegation();

  let sum = 0;
  for (const cue of cues) sum += cue.weight;
  for (const s of signs) sum += s.weight;
  const out = [...cues, ...signs].filter((c) => c.weight !== 0).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  // Emphasis makes a feeling stronger, never creates one; shouting with no words of feeling is read as anger.
  if (exclaim > 0) sum *= 1 + 0.15 * Math.min(exclaim, 3);
  if (capsTokens >= 2 && capsTokens * 2 >= n) {
    sum *= 1.3;
    if (sum <= 0) {
      sum -= 0.5;
      out.push({ weight: -0.5, label: 'CAPS' });
    }
  }
  return { sum, cues: out.map((c) => ({ label: c.label.toLowerCase(), weight: c.weight })) };
}

/** A negated positive turns about as negative ("не спасибо"); a negated negative turns only mildly positive ("не плохо"). */
const flip = (w: number) => (w > 0 ? -0.9 * w : -0.5 * w);

function addSign(signs: { weight: number; label: string }[], weight: number, label: string): void {
  if (!signs.some((s) => s.label === label)) signs.push({ weight, label });
}

function grow(): void {
  const s = new Int32Array(starts.length * 2);
  s.set(starts);
  starts = s;
  const e = new Int32Array(ends.length * 2);
  e.set(ends);
  ends = e;
  const f = new Uint8Array(flags.length * 2);
  f.set(flags);
  flags = f;
}

/** Does token t match word w (folded)? */
function tokenIs(text: string, t: number, w: Word): boolean {
  if (w.any) return true;
  const s = starts[t] as number;
  const len = (ends[t] as number) - s;
  if (w.prefix ? len < w.code.length : len !== w.code.length) return false;
  for (let i = 0; i < w.code.length; i++) if (FOLD[text.charCodeAt(s + i)] !== w.code.charCodeAt(i)) return false;
  return true;
}

/** The entry that covers the most tokens from token t (then the longest first word, a whole word before a stem). */
function match(text: string, t: number, n: number): { entry: Entry; tokens: number } | null {
  const s = starts[t] as number;
  const e = ends[t] as number;
  let best: Compiled | null = null;
  let bestRank = -1;
  let h = FNV;
  for (let p = s; p < e; p++) {
    h = step(h, FOLD[text.charCodeAt(p)] as number);
    if (!((MAYBE_KEY[(h >>> 3) & 0x1fff] as number) & (1 << (h & 7)))) continue;
    const list = LEXICON.get(h);
    if (!list) continue;
    for (const c of list) {
      const ws = c.words;
      if (t + ws.length > n || !tokenIs(text, t, ws[0] as Word)) continue;
      let ok = true;
      for (let k = 1; k < ws.length && ok; k++) ok = !((flags[t + k] as number) & BOUNDARY) && tokenIs(text, t + k, ws[k] as Word);
      if (!ok) continue;
      const rank = ws.length * 1000 + (p - s) * 2 + (ws[0]?.prefix ? 0 : 1);
      if (rank > bestRank) {
        best = c;
        bestRank = rank;
      }
    }
  }
  if (best) return { entry: best.entry, tokens: best.words.length };
  if (e - s >= 6 && VERB_ENDINGS.some((end) => endsWith(text, e, end))) return { entry: NEGATIVE_VERB, tokens: 1 };
  return null;
}

function endsWith(text: string, e: number, end: string): boolean {
  for (let i = 1; i <= end.length; i++) if (FOLD[text.charCodeAt(e - i)] !== end.charCodeAt(end.length - i)) return false;
  return true;
}
