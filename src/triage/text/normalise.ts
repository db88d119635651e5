// Normalisation of an appeal's text for the models: markup, entities, URLs, e-mail addresses, @mentions, #hashtags
// and emoji made uniform; look-alike letters unified; Kazakh-aware lower case; ё → е. A pure function: the
// caller's original string is never changed and should be kept beside the result for display and audit.
import { CYRILLIC, classAt, classTable, isSpace, LATIN, LETTER, MARK, NUMBER, widthAt } from './chars.js';
import { decodeEntities } from './entities.js';
import { looksLikeHtml, stripHtml } from './html.js';

export { stripHtml } from './html.js';

export type EmojiMood = 'anger' | 'sad' | 'fear' | 'thanks' | 'happy' | 'other';

export interface NormalisedText {
  /** Lower-cased, single-spaced text with markers (`__url__`, `__mention__ handle`, `__emoji_anger__`). */
  text: string;
  /** Words, numbers and markers in order. */
  tokens: string[];
  urls: string[];
  emails: string[];
  /** Handles without "@", lower-cased: the handle of an official or an organisation matters. */
  mentions: string[];
  hashtags: string[];
  emoji: EmojiMood[];
}

export const MARKERS = { url: '__url__', email: '__email__', mention: '__mention__' } as const;

const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})+/gu;
// Scheme or www. URLs, and bare domains under the TLDs residents actually paste (egov.kz, t.me/...).
const URL_RE =
  /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'«»]+|\b(?:[a-z0-9-]{1,63}\.){1,8}(?:kz|ru|com|org|net|gov|me|io|info|app|su|uz|kg|рф|қаз)(?:\/[^\s<>"'«»]*)?(?![\p{L}\p{N}])/giu;
const MENTION = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.]{2,32})/gu;
const HASHTAG = /(^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}_]{1,64})/gu;
// A pictographic emoji with its modifiers, joiners and variation selectors, or a flag (two regional indicators).
const EMOJI =
  /(?:\p{Extended_Pictographic}(?:\u{FE0F}|[\u{1F3FB}-\u{1F3FF}])*(?:\u200D\p{Extended_Pictographic}(?:\u{FE0F}|[\u{1F3FB}-\u{1F3FF}])*)*|[\u{1F1E6}-\u{1F1FF}]{2})/gu;

const HAS_EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]/u;

// Cheap looks that let most appeals skip a step; each matches whenever the step's own expression could.
// A link has "://", "www." or a dot before a top-level domain (k and s also match the Kelvin sign and long s).
const URL_HINT = /:\/\/|www\.|\.[a-z\u0400-\u04FF\u017F\u212A]/i;
// Extended_Pictographic starts at ©; below U+2122 it is only © ® ‼ ⁉. Emoji beyond the BMP are surrogates.
const EMOJI_HINT = /[\u00A9\u00AE\u203C\u2049\u2122-\uFFFF]/;
const CLEANUP_HINT =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\uD800-\uDFFF\uFEFF\uFFFD-\uFFFF]|\uFE0E|\uFE0F/;
const TURKIC_OR_DOTTED = /[ığñşūĞÑŞŪİ]/;
// Latin up to the combining marks, Cyrillic letters, general punctuation after U+2001: text made only of these is
// already in NFC (no character there decomposes or combines with another), so most appeals skip the call.
const MAYBE_NOT_NFC = /[^\u0000-\u02FF\u0400-\u0482\u048A-\u04FF\u2002-\u206F]/;
const nfc = (t: string) => (typeof t !== 'string' || MAYBE_NOT_NFC.test(t) ? t.normalize('NFC') : t);

// Coarse moods: enough for urgency and sentiment, not a reading of every face.
const MOODS: [EmojiMood, RegExp][] = [
  ['anger', /[😡😠🤬👿💢👊🖕😤]/u],
  ['sad', /[😢😭😞😔😟☹🙁😩😫😿💔😥😓😪]/u],
  ['fear', /[😱😨😰⚠🆘🚨🔥❗‼❌⛔🚫💧🌊🥶]/u],
  ['thanks', /[🙏👍👏🤝🌹💐❤♥💕💖💗💓💞🥰😍😘💯✅]/u],
  ['happy', /[😀😁😂🤣😃😄😅😆😊🙂😉😎🤗☺✨🎉👌]/u],
];

function moodOf(emoji: string): EmojiMood {
  for (const [mood, re] of MOODS) if (re.test(emoji)) return mood;
  return 'other';
}

// Look-alikes, by the script they are borrowed into. Only letters inside a word of the other script change:
// "мaшина" (Latin a) becomes Cyrillic, "Wi-Fi" stays Latin.
const TO_CYRILLIC: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  y: 'у',
  k: 'к',
  i: 'і',
  h: 'һ',
  ə: 'ә',
  ɵ: 'ө',
  ŋ: 'ң',
  A: 'А',
  B: 'В',
  E: 'Е',
  K: 'К',
  M: 'М',
  H: 'Н',
  O: 'О',
  P: 'Р',
  C: 'С',
  T: 'Т',
  X: 'Х',
  Y: 'У',
  I: 'І',
  Ə: 'Ә',
  q: 'қ', // not a look-alike, but "жоq" means жоқ
};
const TO_LATIN: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  х: 'x',
  у: 'y',
  к: 'k',
  і: 'i',
  һ: 'h',
  ј: 'j',
  ѕ: 's',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
};
// Letters of other Cyrillic alphabets that stand in for Kazakh ones on foreign keyboards.
const KAZAKH_STAND_INS: Record<string, string> = { ҡ: 'қ', Ҡ: 'Қ', ӊ: 'ң', Ӊ: 'Ң', ҥ: 'ң', Ҥ: 'Ң', ӯ: 'ұ', Ӯ: 'Ұ', ї: 'і', Ї: 'І' };

/** Unify look-alike letters inside each word to the script most of that word is written in. */
export function unifyLookalikes(text: string): string {
  const std = /[ҡҠӊӉҥҤӯӮїЇ]/.test(text) ? text.replace(/[ҡҠӊӉҥҤӯӮїЇ]/g, (c) => KAZAKH_STAND_INS[c] ?? c) : text;
  // Only a text with both scripts can hold a mixed word; most appeals skip the per-word pass.
  if (!bothScripts(std)) return std;
  return std.replace(/[\p{L}\p{M}]+/gu, (word) => {
    let cyr = 0;
    let lat = 0;
    for (let i = 0; i < word.length; i += widthAt(word, i)) {
      const c = classAt(word, i);
      if (c & CYRILLIC) cyr++;
      else if (c & LATIN) lat++;
    }
    if (cyr === 0 || lat === 0) return word;
    // A tie goes to Cyrillic: most appeals here are Cyrillic, and "Kөше" is Kazakh.
    const toCyr = cyr >= lat;
    const table = toCyr ? TO_CYRILLIC : TO_LATIN;
    const other = toCyr ? /\p{Script=Latin}/u : /\p{Script=Cyrillic}/u;
    let out = '';
    for (const ch of word) out += other.test(ch) ? (table[ch] ?? ch) : ch;
    return out;
  });
}

const BOTH = LATIN | CYRILLIC;

/** Does the text hold a Latin and a Cyrillic letter (`\p{Script=…}`)? */
function bothScripts(t: string): boolean {
  const table = classTable();
  let seen = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    seen |= c < 0xd800 || c > 0xdbff ? (table[c] as number) : classAt(t, i);
    if ((seen & BOTH) === BOTH) return true;
  }
  return false;
}

/**
 * Lower case that respects Kazakh Latin: dotted İ lowers to plain i (not "i̇"), and in text written in the 2021
 * alphabet (which has ı and ğ ñ ş ū) plain I is the capital of ı.
 */
export function lowerKazakh(text: string): string {
  if (!TURKIC_OR_DOTTED.test(text)) return text.toLowerCase();
  const turkic = /[ığñşū]/.test(text) || /[ĞÑŞŪ]/.test(text);
  let t = text.replace(/İ/g, 'i');
  if (turkic) t = t.replace(/I/g, 'ı');
  return t.toLowerCase();
}

// Controls, zero-width characters and soft hyphens carry no meaning and split words invisibly. ZWJ and
// variation selectors are removed only after emoji have been read.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\uFFFD\uFFFE\uFFFF]/g;
const VARIATION_SELECTORS = /\uFE0E|\uFE0F/g;

/** Normalise an appeal's text (HTML or plain) for language ID, classification and duplicate detection. */
export function normalise(input: string): NormalisedText {
  const urls: string[] = [];
  const emails: string[] = [];
  const mentions: string[] = [];
  const hashtags: string[] = [];
  const emoji: EmojiMood[] = [];
  // Styled letters (𝗧𝗮𝗺𝗮𝘀𝗵𝗮, full-width) are plain letters to a reader; full NFKC would also turn № into "No".
  let t = nfc(input ?? '');
  if (/[\uD835\uFF01-\uFF5E]/.test(t)) t = t.replace(/[\u{1D400}-\u{1D7FF}\u{FF01}-\u{FF5E}]/gu, (c) => c.normalize('NFKC'));
  t = looksLikeHtml(t) ? stripHtml(t) : decodeEntities(t);
  const at = t.includes('@');
  if (at)
    t = t.replace(EMAIL, (m) => {
      emails.push(m.toLowerCase());
      return ` ${MARKERS.email} `;
    });
  if (t.includes('.') && URL_HINT.test(t))
    t = t.replace(URL_RE, (m) => {
      // Sentence punctuation after a link belongs to the sentence, not the link.
      const url = m.replace(/[.,;:!?)\]]+$/, '');
      urls.push(url);
      return ` ${MARKERS.url} ${m.slice(url.length)}`;
    });
  if (at)
    t = t.replace(MENTION, (_m, pre: string, handle: string) => {
      const h = lowerKazakh(handle.replace(/\.+$/, ''));
      mentions.push(h);
      return `${pre} ${MARKERS.mention} ${h} `;
    });
  if (t.includes('#'))
    t = t.replace(HASHTAG, (_m, pre: string, tag: string) => {
      const word = lowerKazakh(tag);
      hashtags.push(word);
      return `${pre} ${word.replace(/_+/g, ' ')} `;
    });
  let lastMood = '';
  let lastEnd = -1;
  if (EMOJI_HINT.test(t) && HAS_EMOJI.test(t))
    t = t.replace(EMOJI, (m, offset: number, whole: string) => {
      if (m === '©' || m === '®' || m === '™') return m;
      const mood = moodOf(m);
      emoji.push(mood);
      // A run of the same mood ("❤❤❤❤") is one marker: repetition is intensity, not new words.
      const repeat = lastMood === mood && whole.slice(lastEnd, offset).trim() === '';
      lastMood = mood;
      lastEnd = offset + m.length;
      return repeat ? ' ' : ` __emoji_${mood}__ `;
    });
  if (CLEANUP_HINT.test(t))
    t = t
      .replace(INVISIBLE, ' ')
      .replace(VARIATION_SELECTORS, '')
      .replace(/[\uD800-\uDFFF]/gu, ' '); // with the u flag only lone surrogates match
  t = unifyLookalikes(t);
  t = lowerKazakh(t);
  if (t.includes('ё')) t = t.replace(/ё/g, 'е');
  t = nfc(t);
  const tidy = untidy(t);
  // Elongation ("куштiiiii", "оооочень") is emphasis; neither language triples a letter.
  if (tidy & RUNS) t = t.replace(/(\p{L})\1{2,}/gu, '$1');
  if (tidy) t = t.replace(/\s+/g, ' ').trim();
  return { text: t, tokens: tokensOf(t), urls, emails, mentions, hashtags, emoji };
}

const RUNS = 1;
const SPACES = 2;

/** What the last steps must tidy: a character three times running, spaces not single. */
function untidy(t: string): number {
  let out = 0;
  let a = -1;
  let b = -1;
  for (let i = 0; i < t.length; i++) {
    let c = t.charCodeAt(i);
    // A surrogate pair is one character: "𝐚𝐚𝐚" is a run.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (c === a && c === b) out |= RUNS;
    if ((c <= 32 || c >= 0xa0) && isSpace(c) && (c !== 32 || i === 0 || i === t.length - 1 || a === 32)) out |= SPACES;
    b = a;
    a = c;
  }
  return out;
}

const WORD = LETTER | MARK | NUMBER;

/** The words, numbers and markers of `t`: what `t.match(/[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}]+)*\/gu)` finds. */
function tokensOf(t: string): string[] {
  const table = classTable();
  const tokens: string[] = [];
  const n = t.length;
  for (let i = 0; i < n; ) {
    let c = t.charCodeAt(i);
    if (!(c === 95 || (c < 0xd800 ? (table[c] as number) : classAt(t, i)) & WORD)) {
      i += c < 0xd800 ? 1 : widthAt(t, i);
      continue;
    }
    const start = i;
    while (i < n) {
      c = t.charCodeAt(i);
      if (c < 0xd800) {
        if (!(c === 95 || (table[c] as number) & WORD)) break;
        i++;
      } else {
        if (!(classAt(t, i) & WORD)) break;
        i += widthAt(t, i);
      }
    }
    // An apostrophe joins letters: "o'z", "su'" stays "su".
    while (i + 1 < n && (c === 39 || c === 0x2019) && classAt(t, i + 1) & LETTER) {
      i++;
      while (i < n && classAt(t, i) & LETTER) i += widthAt(t, i);
      c = t.charCodeAt(i);
    }
    tokens.push(t.slice(start, i));
  }
  return tokens;
}
