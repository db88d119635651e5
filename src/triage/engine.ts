// The triage interface every engine implements, and the first engine: seed keywords from the city's
// configuration, language by letters, district by point-in-polygon or by a street named in the text.
import type { Language } from '../config/schema.js';
import { type AddressFinder, publicAddress } from './address.js';
import { type DistrictShape, districtAt } from './geo.js';
import type { SentimentJudge } from './sentiment/index.js';
import { KeywordLists, StemIndex } from './stems.js';
import { classAt, classTable, LETTER, NUMBER, widthAt } from './text/chars.js';
import { languageOf, latinToCyrillic, normalise as normaliseText, russianLatinToCyrillic } from './text/index.js';
import type { MessageKind, Sentiment, TriageEngine, TriageInput, TriageResult } from './types.js';
import { type UrgencyRule, UrgencyRules } from './urgency.js';

type PerLang = { ru: string[]; kk: string[]; en: string[] };
export interface KeywordTriageConfig {
  categories: { code: string; keywords: PerLang }[];
  urgency: { critical: PerLang; high: PerLang; rules: UrgencyRule[] };
  kinds: { thanks: PerLang; question: PerLang; suggestion: PerLang };
  addresses: AddressFinder;
  districts: { id: string; names: string[] }[];
  shapes: DistrictShape[];
  defaultLanguage: Language;
  /** Without one, sentiment follows the kind of message (thanks positive, complaint negative). */
  sentiment?: SentimentJudge;
}

/** Lower case, ё→е, HTML tags and entities out, URLs and @mentions out; the stored original is untouched. */
export function normalise(text: string): string {
  return ` ${text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/@\w+/g, ' ')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

const tokens = (s: string) => normalise(s).trim().split(' ').filter(Boolean);
const all = (p: PerLang) => [...p.ru, ...p.kk, ...p.en];

const MARKUP = /[<&@]|http/;

/** The words of `normalise(text)`, without building it. */
export function keywordTokens(text: string): string[] {
  const t = MARKUP.test(text)
    ? text
        .replace(/<[^>]*>/g, ' ')
        .replace(/&nbsp;|&#160;/g, ' ')
        .replace(/&[a-z]+;|&#\d+;/g, ' ')
        .replace(/https?:\/\/\S+/g, ' ')
        .replace(/@\w+/g, ' ')
    : text;
  return wordsOf(t.toLowerCase(), []);
}

/** Adds the runs of letters, digits and hyphens of lower-case `t` to `words`, ё folded. */
function wordsOf(lower: string, words: string[]): string[] {
  const t = lower.includes('ё') ? lower.replace(/ё/g, 'е') : lower;
  const table = classTable();
  let start = -1;
  for (let i = 0; i < t.length; ) {
    const c = t.charCodeAt(i);
    const surrogate = c >= 0xd800 && c <= 0xdbff;
    const word = c === 45 || ((surrogate ? classAt(t, i) : (table[c] as number)) & WORD) !== 0;
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      words.push(t.slice(start, i));
      start = -1;
    }
    i += surrogate ? widthAt(t, i) : 1;
  }
  if (start >= 0) words.push(t.slice(start));
  return words;
}

const WORD = LETTER | NUMBER;
const MARKER_WORDS = /__mention__ \S+|__[a-z]+(?:_[a-z]+)*__/g;
const KINDS = ['thanks', 'suggestion', 'question'] as const;

export class KeywordTriage implements TriageEngine {
  readonly version = 'keywords-1';
  private readonly categories: { code: string; keywords: string[] }[];
  private readonly urgency: UrgencyRules;
  private readonly kinds: { kind: MessageKind; keywords: string[] }[];
  private readonly districtNames: { id: string; names: string[] }[];
  private readonly index: StemIndex;
  // Categories, then kinds, then district names, in configuration order.
  private readonly lists: KeywordLists;

  constructor(private readonly cfg: KeywordTriageConfig) {
    this.categories = cfg.categories.map((c) => ({ code: c.code, keywords: all(c.keywords) }));
    this.urgency = new UrgencyRules({ critical: all(cfg.urgency.critical), high: all(cfg.urgency.high) }, cfg.urgency.rules);
    this.kinds = KINDS.map((k) => ({ kind: k, keywords: all(cfg.kinds[k]) }));
    this.districtNames = cfg.districts.map((d) => ({ id: d.id, names: d.names }));
    this.index = new StemIndex(
      [
        ...this.categories.flatMap((c) => c.keywords),
        ...all(cfg.urgency.critical),
        ...all(cfg.urgency.high),
        ...cfg.urgency.rules.flatMap((r) => r.all.flat()),
        ...this.kinds.flatMap((k) => k.keywords),
        ...this.districtNames.flatMap((d) => d.names),
      ],
      tokens,
    );
    this.lists = new KeywordLists([
      ...this.categories.map((c) => c.keywords),
      ...this.kinds.map((k) => k.keywords),
      ...this.districtNames.map((d) => d.names),
    ]);
  }

  triage(input: TriageInput): TriageResult {
    // One normalisation serves the language and the keywords.
    const normalised = normaliseText(input.text);
    const lang = languageOf(normalised, typeof input.text === 'string' ? input.text : '');
    // One script for the keywords: Kazakh or Russian typed in Latin letters is read in Cyrillic.
    const clean = normalised.text;
    let matchable =
      lang.script !== 'latin'
        ? clean
        : lang.language === 'kk'
          ? latinToCyrillic(clean)
          : lang.language === 'ru'
            ? russianLatinToCyrillic(clean)
            : clean;
    // The words of normalise(`${matchable} ${address}`). The normalised text is in lower case already, and
    // lower-casing the address alone gives the same as lower-casing both: the space between ends any context.
    const address = `${input.address ?? ''}`;
    // The normaliser's markers (`__url__`, `__emoji_other__`, `__mention__ handle`) are not the resident's words:
    // "other" in an emoji's marker or "lift" in a handle must not find a category.
    if (matchable.includes('__')) matchable = matchable.replace(MARKER_WORDS, ' ');
    const words =
      MARKUP.test(matchable) || MARKUP.test(address)
        ? keywordTokens(`${matchable} ${address}`)
        : wordsOf(address.toLowerCase(), wordsOf(matchable, []));
    const found = this.index.scan(words);
    const hits = this.lists.hits(found);

    const nc = this.categories.length;
    const scores: { code: string; hits: string[] }[] = [];
    for (let c = 0; c < nc; c++) {
      const h = hits[c];
      if (h) scores.push({ code: (this.categories[c] as { code: string }).code, hits: h });
    }
    if (scores.length > 1) scores.sort((a, b) => b.hits.length - a.hits.length);
    const top = scores[0];
    const second = scores[1]?.hits.length ?? 0;
    const confidence = top ? (top.hits.length / (top.hits.length + second)) * (1 - Math.exp(-top.hits.length)) : 0;

    const { urgency, reasons: urgencyReasons } = this.urgency.judgeFound(found, input.text);

    const k = this.kinds.findIndex((_k, i) => hits[nc + i] !== undefined);
    const kindHit = k < 0 ? undefined : { kind: (this.kinds[k] as { kind: MessageKind }).kind, hits: hits[nc + k] as string[] };
    // The length of normalise(): the words and one space between each two.
    const normLength = words.reduce((n, w) => n + w.length + 1, -1);
    const felt = this.cfg.sentiment?.judge(input.text, lang.language);
    const said = kindOf(normLength, top !== undefined, kindHit?.kind, felt?.sentiment);
    const sentiment: Sentiment = felt?.sentiment ?? (said === 'thanks' ? 'positive' : said === 'complaint' ? 'negative' : 'neutral');

    const d = this.districtNames.findIndex((_d, i) => hits[nc + KINDS.length + i] !== undefined);
    const place = this.locate(input, this.districtNames[d]?.id ?? null);
    // Nothing to act on — no category, no place, no danger, no distress, not a question, thanks or suggestion: spam
    // and chatter ("Розыгрыш айфона! Подпишись", "Qaiyrly tan, Astana!"). Kept for analytics; a message written to
    // the city directly still opens a ticket.
    const idle = !top && place.address === null && place.district === null && urgency === 'normal' && sentiment !== 'negative';
    const kind = said === 'complaint' && idle ? 'noise' : said;
    const category: { keyword: string; category: string }[] = [];
    for (let s = 0; s < scores.length && s < 3; s++) {
      const { code, hits: keywords } = scores[s] as { code: string; hits: string[] };
      // The same word may be listed for two languages ("лифт" in ru and kk): named once.
      for (const keyword of keywords)
        if (!category.some((c) => c.keyword === keyword && c.category === code)) category.push({ keyword, category: code });
    }
    // Code-switched text is answered in the language that carries more of it.
    const replyLanguage: Language =
      lang.confidence === 0 ? this.cfg.defaultLanguage : lang.language === 'mixed' ? (lang.parts.kk >= lang.parts.ru ? 'kk' : 'ru') : lang.language;
    return {
      engine: this.version,
      language: lang.language,
      languageConfidence: lang.confidence,
      replyLanguage,
      kind,
      category: top?.code ?? null,
      confidence: Math.round(confidence * 1000) / 1000,
      sentiment,
      urgency,
      address: place.address,
      lat: place.lat,
      lon: place.lon,
      district: place.district,
      explanation: {
        language: { method: 'words', script: lang.script, confidence: lang.confidence },
        category,
        urgency: urgencyReasons,
        kind: kindHit?.hits ?? [],
        ...(felt ? { sentiment: { method: felt.method, score: felt.score, cues: felt.cues } } : {}),
        place: place.why,
      },
    };
  }

  private locate(
    input: TriageInput,
    named: string | null,
  ): { address: string | null; lat: number | null; lon: number | null; district: string | null; why: TriageResult['explanation']['place'] } {
    // The address the sender typed wins over one found in the message; unrecognised, it is kept as typed.
    const typed = input.address?.trim() || null;
    const found = this.cfg.addresses.find(typed ?? input.text);
    const address = (found && publicAddress(found)) ?? typed;
    const matched = found ? { matched: found.text } : {};
    const lat = input.lat ?? null;
    const lon = input.lon ?? null;
    if (lat !== null && lon !== null) {
      const d = districtAt(this.cfg.shapes, lat, lon);
      if (d) return { address, lat, lon, district: d, why: { method: 'point' } };
    }
    if (named) return { address, lat, lon, district: named, why: { method: 'named_district' } };
    // No point from the sender: the gazetteer's, where it has coordinates for the building, street or area.
    if (lat === null && found?.point) {
      const d = districtAt(this.cfg.shapes, found.point.lat, found.point.lon) ?? found.district;
      return {
        address,
        lat: found.point.lat,
        lon: found.point.lon,
        district: d,
        why: { method: 'gazetteer', precision: found.point.precision, ...matched },
      };
    }
    if (found?.district) return { address, lat, lon, district: found.district, why: { method: found.area ? 'area' : 'street', ...matched } };
    return { address, lat, lon, district: null, why: { method: lat !== null ? 'point_outside' : 'none', ...matched } };
  }
}

function kindOf(normLength: number, hasCategory: boolean, hit: MessageKind | undefined, sentiment: Sentiment | undefined): MessageKind {
  if (normLength < 3) return 'noise';
  if (!hit || hit === 'suggestion') return hit ?? 'complaint';
  // "Thanks, but the heating is off again" is still a complaint about the heating; "thanks for the new
  // playground, it is wonderful" names a category too, but is thanks.
  if (hit === 'thanks' && hasCategory) return sentiment === 'positive' ? 'thanks' : 'complaint';
  return hasCategory ? 'complaint' : hit;
}
