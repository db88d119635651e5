// The triage interface every engine implements, and the first engine: seed keywords from the city's
// configuration, language by letters, district by point-in-polygon or by a street named in the text.
import type { Language } from '../config/schema.js';
import { type AddressFinder, publicAddress } from './address.js';
import { type DistrictShape, districtAt } from './geo.js';
import { StemIndex } from './stems.js';
import {
  type DetectedLanguage,
  detectLanguage,
  latinToCyrillic,
  normalise as normaliseText,
  russianLatinToCyrillic,
  type Script,
} from './text/index.js';
import type { MessageKind, PlaceMethod, Sentiment, TriageEngine, TriageInput, TriageResult } from './types.js';
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

export class KeywordTriage implements TriageEngine {
  readonly version = 'keywords-1';
  private readonly categories: { code: string; keywords: string[] }[];
  private readonly urgency: UrgencyRules;
  private readonly kinds: { kind: MessageKind; keywords: string[] }[];
  private readonly districtNames: { id: string; names: string[] }[];
  private readonly index: StemIndex;

  constructor(private readonly cfg: KeywordTriageConfig) {
    this.categories = cfg.categories.map((c) => ({ code: c.code, keywords: all(c.keywords) }));
    this.urgency = new UrgencyRules({ critical: all(cfg.urgency.critical), high: all(cfg.urgency.high) }, cfg.urgency.rules);
    this.kinds = (['thanks', 'suggestion', 'question'] as const).map((k) => ({ kind: k, keywords: all(cfg.kinds[k]) }));
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
  }

  triage(input: TriageInput): TriageResult {
    const lang = detectLanguage(input.text);
    // One script for the keywords: Kazakh or Russian typed in Latin letters is read in Cyrillic.
    const clean = normaliseText(input.text).text;
    const matchable =
      lang.script !== 'latin'
        ? clean
        : lang.language === 'kk'
          ? latinToCyrillic(clean)
          : lang.language === 'ru'
            ? russianLatinToCyrillic(clean)
            : clean;
    const norm = normalise(`${matchable} ${input.address ?? ''}`);
    const hits = this.index.scan(norm.trim().split(' '));
    const has = (keyword: string) => hits.has(keyword);

    const scores = this.categories
      .map((c) => ({ code: c.code, hits: c.keywords.filter(has) }))
      .filter((c) => c.hits.length > 0)
      .sort((a, b) => b.hits.length - a.hits.length);
    const top = scores[0];
    const second = scores[1]?.hits.length ?? 0;
    const confidence = top ? (top.hits.length / (top.hits.length + second)) * (1 - Math.exp(-top.hits.length)) : 0;

    const { urgency, reasons: urgencyReasons } = this.urgency.judge(has, input.text);

    const kindHit = this.kinds.map((k) => ({ kind: k.kind, hits: k.keywords.filter(has) })).find((k) => k.hits.length);
    const kind = kindOf(norm, top !== undefined, kindHit?.kind);
    const sentiment: Sentiment = kind === 'thanks' ? 'positive' : kind === 'complaint' ? 'negative' : 'neutral';

    const { why: placeWhy, ...place } = this.locate(input, has);
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
      ...place,
      explanation: {
        language: { method: 'words', script: lang.script, confidence: lang.confidence },
        category: scores.slice(0, 3).flatMap((s) => s.hits.map((k) => ({ keyword: k, category: s.code }))),
        urgency: urgencyReasons,
        kind: kindHit?.hits ?? [],
        place: placeWhy,
      },
    };
  }

  private locate(
    input: TriageInput,
    has: (keyword: string) => boolean,
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
    const named = this.districtNames.find((d) => d.names.some(has));
    if (named) return { address, lat, lon, district: named.id, why: { method: 'named_district' } };
    if (found?.district) return { address, lat, lon, district: found.district, why: { method: found.area ? 'area' : 'street', ...matched } };
    return { address, lat, lon, district: null, why: { method: lat !== null ? 'point_outside' : 'none', ...matched } };
  }
}

function kindOf(norm: string, hasCategory: boolean, hit: MessageKind | undefined): MessageKind {
  if (norm.trim().length < 3) return 'noise';
  if (!hit || hit === 'suggestion') return hit ?? 'complaint';
  // "Thanks, but the heating is off again" is still a complaint about the heating.
  return hasCategory ? 'complaint' : hit;
}
