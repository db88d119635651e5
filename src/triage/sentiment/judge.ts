// The sentiment of a message (negative, neutral, positive) with a score, a confidence and the cues behind it.
// Russian and English are read with Qala's own lexicon (scan.ts); Kazakh and code-switched text also with a small
// model trained on KazSAnDRA reviews (models/sentiment-kk.qtm), whose verdict the lexicon's is blended with.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeModel, loadModel } from '../model/io.js';
import { type Model, predict } from '../model/softmax.js';
import { MAX_CHARS, scanLexicon } from './scan.js';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentJudgement {
  sentiment: SentimentLabel;
  /** −1 (clearly negative) … +1 (clearly positive). */
  score: number;
  /** 0..1: how far the score is from the neutral band's edge; a heuristic, not a calibrated probability. */
  confidence: number;
  method: 'model' | 'lexicon' | 'model+lexicon';
  /** Words and signs that decided it: lexicon cues as written ("не работает", "рахмет", "!!"), model n-grams as "model:word:…". */
  cues: string[];
}

export type JudgedLanguage = 'ru' | 'kk' | 'en' | 'mixed';

/** The shipped model, found from this file so it works from a fresh clone whatever the working directory. */
export const MODEL_FILE = 'sentiment-kk.qtm';
export const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

/** |lexicon sum| that maps to a score of ±0.45: a single clear word ("хорошо", weight 1) is past the neutral band,
 * a hint (weight 0.3) is not. */
const LEXICON_SCALE = 2;
/** Lexicon alone (ru, en): scores inside ±this are neutral. Set by reasoning (a hint alone never decides), not fitted. */
export const LEXICON_NEUTRAL = 0.2;
/** Model and lexicon (kk, mixed): the model's share of the blend and the neutral band, both chosen on KazSAnDRA's
 * validation part (never the test part) by `npx tsx bench/sentiment.ts --tune`; see docs/sentiment.md. */
export const MODEL_SHARE = 0.5;
export const BLEND_NEUTRAL = 0.15;

const round = (x: number) => Math.round(x * 1000) / 1000;
let shipped: SentimentJudge | undefined;

export class SentimentJudge {
  private constructor(
    readonly model: Model | null,
    private readonly share = MODEL_SHARE,
    private readonly band = BLEND_NEUTRAL,
  ) {}

  /** Reads `dir`/sentiment-kk.qtm (default: the repository's models/ folder). Never downloads anything. */
  static async load(dir: string = MODELS_DIR): Promise<SentimentJudge> {
    return new SentimentJudge(await loadModel(`${dir.replace(/\/$/, '')}/${MODEL_FILE}`));
  }

  /** The shipped judge, read once per process (engines are built synchronously at start). */
  static shipped(): SentimentJudge {
    if (!shipped) {
      const file = `${MODELS_DIR}${MODEL_FILE}`;
      shipped = new SentimentJudge(decodeModel(readFileSync(file), file));
    }
    return shipped;
  }

  /** With null, every language is read by the lexicon alone. */
  static fromModel(m: Model | null): SentimentJudge {
    if (m && !(m.labels.includes('positive') && m.labels.includes('negative')))
      throw new Error(`a sentiment model needs the labels "positive" and "negative", not ${JSON.stringify(m.labels)}`);
    return new SentimentJudge(m);
  }

  /** For tuning only: the same judge with another blend and neutral band. */
  withBlend(share: number, band: number): SentimentJudge {
    return new SentimentJudge(this.model, share, band);
  }

  judge(text: string, language: JudgedLanguage): SentimentJudgement {
    const clean = readable(text);
    const lex = scanLexicon(clean);
    const lexScore = lex.sum / Math.sqrt(lex.sum * lex.sum + LEXICON_SCALE * LEXICON_SCALE);
    const cyrillic = cyrillicShare(clean);
    const useModel = this.model !== null && (language === 'kk' || language === 'mixed') && cyrillic > 0;
    let score = lexScore;
    let band = LEXICON_NEUTRAL;
    let method: SentimentJudgement['method'] = 'lexicon';
    let modelFeatures: { feature: string }[] = [];
    let modelSays: SentimentLabel = 'neutral';
    if (useModel) {
      const p = predict(this.model as Model, clean, 3);
      const positive = p.probabilities.find((x) => x.label === 'positive')?.p ?? 0;
      const negative = p.probabilities.find((x) => x.label === 'negative')?.p ?? 0;
      const modelScore = positive - negative;
      modelSays = modelScore >= 0 ? 'positive' : 'negative';
      modelFeatures = p.features;
      band = this.band;
      // The model learnt Cyrillic reviews: on Latin-script ones it falls to macro-F1 0.56 (0.78 on all, KazSAnDRA
      // validation part), so its say shrinks with the share of Latin letters.
      const share = this.share * cyrillic;
      if (lex.cues.length === 0) {
        score = (share / this.share) * modelScore;
        method = 'model';
      } else {
        score = share * modelScore + (1 - share) * lexScore;
        method = 'model+lexicon';
      }
    }
    const sentiment: SentimentLabel = score >= band ? 'positive' : score <= -band ? 'negative' : 'neutral';
    const edge = Math.abs(score);
    const confidence = sentiment === 'neutral' ? 0.5 + 0.4 * (1 - edge / band) : 0.5 + 0.5 * Math.min(1, (edge - band) / (1 - band));
    const sign = sentiment === 'positive' ? 1 : sentiment === 'negative' ? -1 : 0;
    const cues = lex.cues.filter((c) => sign === 0 || Math.sign(c.weight) === sign).map((c) => c.label);
    if (sentiment !== 'neutral' && modelSays === sentiment && modelFeatures.length > 0) {
      // A bucket keeps the first n-gram seen in it, and small models share buckets: name only n-grams that are
      // really in this text.
      let lower = clean.toLowerCase();
      if (lower.includes('ё')) lower = lower.replace(/ё/g, 'е');
      if (ODD_SPACE.test(lower)) lower = lower.replace(/\s+/g, ' ');
      lower = ` ${lower} `;
      for (const f of modelFeatures) if (occurs(f.feature, lower)) cues.push(`model:${f.feature}`);
    }
    return { sentiment, score: round(score), confidence: round(confidence), method, cues: cues.slice(0, 8) };
  }
}

/** Cyrillic letters / (Cyrillic + Latin letters); 0 when there are none of either (nothing for the model to read). */
function cyrillicShare(text: string): number {
  let cyrillic = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x400 && c <= 0x4ff) cyrillic++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) latin++;
  }
  return cyrillic + latin === 0 ? 0 : cyrillic / (cyrillic + latin);
}

/** Whitespace that `replace(/\s+/g, ' ')` would change: two in a row, or one that is not a plain space. */
const ODD_SPACE = /\s\s|[^\S ]/;

function occurs(feature: string, lower: string): boolean {
  if (feature.startsWith('word:')) return lower.includes(feature.slice(5)); // as a whole word or inside one
  if (feature.startsWith('chars:')) return lower.includes(feature.slice(6).replace(/_/g, ' '));
  return false;
}

const TAG = /<\/?[a-z!][^>]{0,500}>/gi;
const ENTITY = /&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,5});/gi;

/** Markup and entities out (appeals come from portals and e-mail), and at most MAX_CHARS of it. */
function readable(text: string): string {
  let t = text.length > 2 * MAX_CHARS ? text.slice(0, 2 * MAX_CHARS) : text;
  if (t.includes('<')) t = t.replace(TAG, ' ');
  if (t.includes('&')) t = t.replace(ENTITY, (e) => (e.toLowerCase() === '&quot;' ? '"' : e.toLowerCase() === '&amp;' ? '&' : ' '));
  return t.length > MAX_CHARS ? t.slice(0, MAX_CHARS) : t;
}
