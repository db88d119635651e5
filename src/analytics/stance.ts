// Finding the messages about a question and reading their stance. Relevance: the question's keywords as word stems
// (src/triage/stems.ts), over the text folded so Kazakh typed with Russian letters or in Latin letters still matches;
// a message without a keyword still counts when it is very close to one of the examples. Stance: a nearest-centroid
// classifier over TF-IDF character n-grams of the folded words, learned from the analyst's few examples and
// corrections. A few dozen examples are enough for centroids, where a softmax would overfit; it is pure and fast,
// so the sweep, the API and the CLI retrain it whenever they need it.
import { StemIndex } from '../triage/stems.js';
import { foldKazakh, latinToCyrillic, normalise, russianLatinToCyrillic } from '../triage/text/index.js';

export const STANCES = ['for', 'against', 'neutral'] as const;
export type Stance = (typeof STANCES)[number];
export type StanceExample = { stance: Stance; text: string };
export type StanceResult = { stance: Stance; confidence: number; scores: Record<Stance, number> };

/** A message this close (cosine) to one of the examples is relevant even without a keyword. */
export const EXAMPLE_SIMILARITY = 0.55;

const split = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** The folded words of a text, read in Cyrillic as well when it is typed in Latin letters (Kazakh and Russian). */
export function foldedWords(text: string): string[] {
  const t = normalise(text).text.replace(/__\w+__/g, ' ');
  const words = split(foldKazakh(t));
  if (!/[a-z]/.test(t)) return words;
  const extra = [...split(foldKazakh(latinToCyrillic(t).toLowerCase())), ...split(russianLatinToCyrillic(t))];
  return [...words, ...extra.filter((w) => !words.includes(w))];
}

const keywordTokens = (s: string) => split(foldKazakh(s.toLowerCase()));

/** The question's keywords found in a text (as the analyst wrote them). */
export class KeywordMatcher {
  private readonly index: StemIndex;
  constructor(readonly keywords: readonly string[]) {
    this.index = new StemIndex(
      keywords.filter((k) => keywordTokens(k).length),
      keywordTokens,
    );
  }
  hits(words: readonly string[]): string[] {
    return [...this.index.scan(words)];
  }
}

type Vector = Map<string, number>;

function grams(words: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (g: string) => out.set(g, (out.get(g) ?? 0) + 1);
  for (const w of words) {
    add(`w:${w}`);
    const p = ` ${w} `;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= p.length; i++) add(p.slice(i, i + n));
  }
  return out;
}

function unit(v: Vector): Vector {
  let s = 0;
  for (const x of v.values()) s += x * x;
  const norm = Math.sqrt(s) || 1;
  for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

function dot(a: Vector, b: Vector): number {
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, x] of small) s += x * (big.get(k) ?? 0);
  return s;
}

/** Nearest-centroid stance model; `train` with no examples of a stance simply never predicts it. */
export class StanceModel {
  private constructor(
    private readonly idf: Map<string, number>,
    private readonly centroids: Map<Stance, Vector>,
    private readonly examples: Vector[],
  ) {}

  static train(examples: readonly StanceExample[]): StanceModel {
    const docs = examples.map((e) => grams(foldedWords(e.text)));
    const df = new Map<string, number>();
    for (const d of docs) for (const g of d.keys()) df.set(g, (df.get(g) ?? 0) + 1);
    const idf = new Map([...df].map(([g, n]) => [g, Math.log((1 + docs.length) / (1 + n)) + 1]));
    const vecs = docs.map((d) => weigh(d, idf));
    const centroids = new Map<Stance, Vector>();
    for (const s of STANCES) {
      const mine = vecs.filter((_, i) => examples[i]!.stance === s);
      if (!mine.length) continue;
      const c: Vector = new Map();
      for (const v of mine) for (const [k, x] of v) c.set(k, (c.get(k) ?? 0) + x / mine.length);
      centroids.set(s, unit(c));
    }
    return new StanceModel(idf, centroids, vecs);
  }

  get stances(): Stance[] {
    return [...this.centroids.keys()];
  }

  /**
   * The highest cosine between the text and any single example: relevance by likeness. Unlike the stance, the
   * text's n-grams the examples never had count here too (at the rarest weight): a long message about something
   * else that shares a few words with a short example ("когда подключат?") is not like it.
   */
  closestExample(words: readonly string[]): number {
    const v: Vector = new Map();
    for (const [g, n] of grams(words)) v.set(g, (1 + Math.log(n)) * (this.idf.get(g) ?? this.rarest));
    unit(v);
    return this.examples.reduce((m, e) => Math.max(m, dot(v, e)), 0);
  }

  /** The IDF of an n-gram no example had. */
  private get rarest(): number {
    return Math.log(1 + this.examples.length) + 1;
  }

  classify(words: readonly string[]): StanceResult {
    const v = weigh(grams(words), this.idf);
    const sims = STANCES.map((s) => {
      const c = this.centroids.get(s);
      return c ? dot(v, c) : Number.NEGATIVE_INFINITY;
    });
    // Similarities are small numbers; a temperature of 0.1 turns their gaps into probabilities that mean something.
    const top = Math.max(...sims);
    const exps = sims.map((x) => (Number.isFinite(x) ? Math.exp((x - top) / 0.1) : 0));
    const total = exps.reduce((a, b) => a + b, 0);
    const scores = Object.fromEntries(STANCES.map((s, i) => [s, total ? Math.round((exps[i]! / total) * 1000) / 1000 : 0])) as Record<Stance, number>;
    if (!this.centroids.size || top <= 0) return { stance: 'neutral', confidence: 0, scores };
    const best = STANCES[sims.indexOf(top)]!;
    return { stance: best, confidence: scores[best], scores };
  }
}

function weigh(counts: Map<string, number>, idf: Map<string, number>): Vector {
  const v: Vector = new Map();
  // Unseen n-grams carry no evidence about a stance: only the examples' vocabulary counts.
  for (const [g, n] of counts) {
    const w = idf.get(g);
    if (w) v.set(g, (1 + Math.log(n)) * w);
  }
  return unit(v);
}

export type Relevance = { relevant: boolean; score: number; hits: string[] };

/** A question ready to read messages: keywords and the stance model together. */
export class QuestionReader {
  private readonly matcher: KeywordMatcher;
  constructor(
    keywords: readonly string[],
    readonly model: StanceModel,
  ) {
    this.matcher = new KeywordMatcher(keywords);
  }

  static of(keywords: readonly string[], examples: readonly StanceExample[]): QuestionReader {
    return new QuestionReader(keywords, StanceModel.train(examples));
  }

  read(text: string): (Relevance & StanceResult) | null {
    const words = foldedWords(text);
    const hits = this.matcher.hits(words);
    const like = this.model.closestExample(words);
    if (!hits.length && like < EXAMPLE_SIMILARITY) return null;
    // Score: keyword evidence first (each hit adds), likeness to the examples as a tie-breaker.
    const score = Math.round((hits.length + like) * 1000) / 1000;
    return { relevant: true, score, hits, ...this.model.classify(words) };
  }
}
