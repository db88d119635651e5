// Topics: what residents write about more in a period than usual. Key phrases (word 1–3-grams of the triage's
// normalised text, lightly stemmed, stop words of ru/kk/en left out) are scored by the log-odds ratio with an
// informative Dirichlet prior (Monroe, Colaresi & Quinn, "Fightin' Words", 2008): how much more often a phrase
// appears in the period's messages than in the baseline's, as a z-score that discounts rare phrases. Phrases that
// occur in the same messages are grouped into themes, each with its volume per day and representative quotes
// (personal data masked). Everything is pure except `readTopics` at the bottom, which reads the messages.
import { sql } from 'kysely';
import type { Context } from '../context.js';
import { redactPersonalData } from '../privacy.js';
import { localDate } from '../sla/calendar.js';
import { normalise } from '../triage/text/index.js';

export interface Doc {
  id: number;
  text: string;
  /** Who wrote it (a resident id, or the message id when unknown): a phrase needs several people. */
  sender: string;
  /** The local date, YYYY-MM-DD. */
  day: string;
}

const STOP = new Set(
  `и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще
  нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом
  себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под
  будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда
  зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая
  много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно
  всю между это также очень просим прошу пожалуйста здравствуйте добрый день уважаемые спасибо
  және мен бен пен да де та те ма ме ба бе па пе бұл осы сол ол олар біз сіз мен сен үшін туралы бойынша дейін
  кейін бірақ немесе ғой ғана әлі тағы енді неге қашан қайда қалай қандай қанша кім өте көп аз барлық бәрі бір екі
  еді екен болып бар жоқ емес сәлеметсіз сәлеметсізбе рахмет рақмет өтінемін
  the a an and or but of to in on at for with is are was were be been it this that there here we you they i he she
  not no please hello hi thanks thank from by as have has had do does did our your their my`
    .split(/\s+/)
    .filter(Boolean),
);

// Endings stripped so "воды", "вода", "воду" meet, and "жолдың", "жолда" too; a stem keeps at least three letters.
const ENDINGS = `иями ями ами ого его ому ему ыми ими ией ией ах ях ов ев ей ой ий ый ая яя ое ее ие ые ам ям ом ем ую юю
  ия ье ья а я о е ы и у ю ь ның нің дың дің тың тің лар лер дар дер тар тер ға ге қа ке да де та те ды ді ты ті ны ні
  ын ін ing ed es s`
  .split(/\s+/)
  .filter(Boolean)
  .sort((a, b) => b.length - a.length);
const MAX_STEM = 7;

const KAZAKH = /[әғқңөұүһі]/u;
const KK_ENDINGS = new Set('ның нің дың дің тың тің лар лер дар дер тар тер ға ге қа ке да де та те ды ді ты ті ны ні ын ін'.split(' '));

export function stem(word: string): string {
  // Kazakh endings only on words with a Kazakh letter: "подъезде" is Russian, its "-де" is not a locative.
  const kazakh = KAZAKH.test(word);
  for (const e of ENDINGS) {
    if (KK_ENDINGS.has(e) !== kazakh || !word.endsWith(e) || word.length - e.length < 3) continue;
    word = word.slice(0, -e.length);
    break;
  }
  return word.slice(0, MAX_STEM);
}

const WORD = /^\p{L}[\p{L}-]*$/u;
/** The markers redactPersonalData leaves. */
const MASKS = /@?\[(?:email|phone|\*|user)\]/g;

/** The distinct phrases (1–3 consecutive content words) of a text: stemmed key → the words as written. */
export function phrasesOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let run: { stem: string; word: string }[] = [];
  const flush = () => {
    for (let i = 0; i < run.length; i++)
      for (let n = 1; n <= 3 && i + n <= run.length; n++) {
        const part = run.slice(i, i + n);
        const key = part.map((p) => p.stem).join(' ');
        if (!out.has(key)) out.set(key, part.map((p) => p.word).join(' '));
      }
    run = [];
  };
  // Punctuation, a stop word, a number or a marker breaks a phrase: "мусор не вывезли, двор" holds no "вывезли двор".
  // Phones, e-mails, flats and handles are masked first and break phrases too, so "mail" of "…@mail.kz" is none.
  const masked = redactPersonalData(text).replace(MASKS, ',');
  for (const clause of masked.split(/[,.;:!?()«»"\n]+/)) {
    for (const token of normalise(clause).tokens) {
      if (!WORD.test(token) || token.length < 3 || STOP.has(token)) flush();
      else run.push({ stem: stem(token), word: token });
    }
    flush();
  }
  return out;
}

export interface Phrase {
  key: string;
  /** The commonest way it was written in the period. */
  label: string;
  /** Messages that hold it, in the period and in the baseline. */
  period: number;
  baseline: number;
  /** Log-odds ratio (period vs baseline) and its z-score. */
  delta: number;
  z: number;
  docs: number[];
}

export interface ScoreOptions {
  /** Phrases in fewer messages of the period than this are left out. */
  minDocs: number;
  /** …and those written by fewer different people. */
  minSenders: number;
  /** Only phrases whose z-score is at least this. */
  minZ: number;
  limit: number;
}
const PRIOR_WEIGHT = 0.1;
export const SCORE_DEFAULTS: ScoreOptions = { minDocs: 3, minSenders: 3, minZ: 1.96, limit: 40 };

/**
 * Phrases scored by how much more often they appear in `period` than in `baseline`, counting messages that hold a
 * phrase (a message repeating a word is one message). The prior is the pooled corpus, a tenth as heavy as the data.
 */
export function scorePhrases(period: readonly Doc[], baseline: readonly Doc[], opts: ScoreOptions = SCORE_DEFAULTS): Phrase[] {
  const inPeriod = new Map<string, { docs: number[]; senders: Set<string>; forms: Map<string, number> }>();
  const inBaseline = new Map<string, number>();
  for (const d of period)
    for (const [key, form] of phrasesOf(d.text)) {
      let e = inPeriod.get(key);
      if (!e) {
        e = { docs: [], senders: new Set(), forms: new Map() };
        inPeriod.set(key, e);
      }
      e.docs.push(d.id);
      e.senders.add(d.sender);
      e.forms.set(form, (e.forms.get(form) ?? 0) + 1);
    }
  for (const d of baseline) for (const key of phrasesOf(d.text).keys()) inBaseline.set(key, (inBaseline.get(key) ?? 0) + 1);
  const nI = Math.max(1, period.length);
  const nJ = Math.max(1, baseline.length);
  // The informative prior: each phrase's share of the pooled messages, weighing a tenth of the pooled corpus
  // (heavier, and a small period could never show anything; lighter, and a phrase seen twice would top the list).
  const a0 = PRIOR_WEIGHT * (nI + nJ);
  const out: Phrase[] = [];
  for (const [key, e] of inPeriod) {
    const yi = e.docs.length;
    if (yi < opts.minDocs || e.senders.size < opts.minSenders) continue;
    const yj = inBaseline.get(key) ?? 0;
    const a = Math.max(0.01, ((yi + yj) / (nI + nJ)) * a0);
    const delta = Math.log((yi + a) / Math.max(1e-9, nI + a0 - yi - a)) - Math.log((yj + a) / Math.max(1e-9, nJ + a0 - yj - a));
    const z = delta / Math.sqrt(1 / (yi + a) + 1 / (yj + a));
    if (z < opts.minZ) continue;
    const label = [...e.forms].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0] ?? key;
    out.push({ key, label, period: yi, baseline: yj, delta, z, docs: e.docs });
  }
  out.sort((x, y) => y.z - x.z || x.key.localeCompare(y.key));
  // A phrase inside a longer one that holds nearly all its messages says nothing more ("воды" beside "нет воды").
  const kept = out.filter(
    (p) =>
      !out.some(
        (q) => q !== p && q.key.split(' ').length > p.key.split(' ').length && ` ${q.key} `.includes(` ${p.key} `) && q.period >= 0.8 * p.period,
      ),
  );
  return kept.slice(0, opts.limit);
}

export interface Theme {
  phrases: Phrase[];
  /** Messages of the period that hold any of its phrases. */
  docs: number[];
}

/** Phrases whose messages overlap (Jaccard ≥ `link`) join one theme; themes are ordered by volume. */
export function themesOf(phrases: readonly Phrase[], link = 0.25): Theme[] {
  const parent = phrases.map((_, i) => i);
  const find = (i: number): number => {
    if (parent[i] === i) return i;
    const root = find(parent[i] as number);
    parent[i] = root; // path compression
    return root;
  };
  const sets = phrases.map((p) => new Set(p.docs));
  for (let i = 0; i < phrases.length; i++)
    for (let j = i + 1; j < phrases.length; j++) {
      const a = sets[i] as Set<number>;
      const b = sets[j] as Set<number>;
      let both = 0;
      for (const x of a) if (b.has(x)) both++;
      if (both / (a.size + b.size - both) >= link) parent[find(i)] = find(j);
    }
  const groups = new Map<number, Phrase[]>();
  phrases.forEach((p, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), p]);
  });
  return [...groups.values()]
    .map((ps) => ({ phrases: ps.sort((x, y) => y.z - x.z), docs: [...new Set(ps.flatMap((p) => p.docs))].sort((x, y) => x - y) }))
    .sort((x, y) => y.docs.length - x.docs.length || (y.phrases[0]?.z ?? 0) - (x.phrases[0]?.z ?? 0));
}

/** The messages that hold most of a theme's phrases, different texts only: what a reader should see first. */
export function representative(theme: Theme, docs: ReadonlyMap<number, Doc>, count = 3): Doc[] {
  const score = new Map<number, number>();
  for (const p of theme.phrases) for (const id of p.docs) score.set(id, (score.get(id) ?? 0) + p.z);
  const seen = new Set<string>();
  const out: Doc[] = [];
  for (const [id] of [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    const d = docs.get(id);
    const norm = d ? normalise(d.text).text : '';
    if (!d || seen.has(norm)) continue;
    seen.add(norm);
    out.push(d);
    if (out.length === count) break;
  }
  return out;
}

/** Messages per local day of the period (every day present, zeros too). */
export function perDay(ids: readonly number[], docs: ReadonlyMap<number, Doc>, days: readonly string[]): number[] {
  const at = new Map(days.map((d, i) => [d, i]));
  const out = days.map(() => 0);
  for (const id of ids) {
    const i = at.get(docs.get(id)?.day ?? '');
    if (i !== undefined) out[i] = (out[i] as number) + 1;
  }
  return out;
}

// ---- reading ----

export interface TopicsQuery {
  from: Date;
  to: Date;
  baselineFrom: Date;
  baselineTo: Date;
  district?: string | undefined;
  category?: string | undefined;
  /** Only messages no category fits: no category, or one below the confidence routing trusts. */
  uncategorised?: boolean | undefined;
}

const MAX_DOCS = 20_000;
const QUOTE_CHARS = 280;

async function docsOf(ctx: Context, q: TopicsQuery, from: Date, to: Date): Promise<Doc[]> {
  let query = ctx.db
    .selectFrom('messages as m')
    .innerJoin('message_triage as t', 't.message_id', 'm.id')
    .select(['m.id', 'm.text', 'm.resident_id', 'm.received_at'])
    .where('m.direction', '=', 'in')
    .where('t.kind', '<>', 'noise')
    .where('m.received_at', '>=', from)
    .where('m.received_at', '<', to);
  if (q.district) query = query.where('t.district', '=', q.district);
  if (q.category) query = query.where('t.category', '=', q.category);
  if (q.uncategorised) {
    const min = ctx.city.city.auto_route_min_confidence;
    query = query.where((eb) => eb.or([eb('t.category', 'is', null), eb('t.confidence', '<', min)]));
  }
  const rows = await query.orderBy(sql`m.received_at DESC`).limit(MAX_DOCS).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    text: r.text,
    sender: r.resident_id === null ? `m${r.id}` : String(r.resident_id),
    day: localDate(ctx.city.calendar, new Date(r.received_at)),
  }));
}

function daysBetween(ctx: Context, from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let t = from.getTime(); t < to.getTime() && out.length < 400; t += 86_400_000) out.push(localDate(ctx.city.calendar, new Date(t)));
  const last = localDate(ctx.city.calendar, new Date(to.getTime() - 1));
  if (out[out.length - 1] !== last) out.push(last);
  return [...new Set(out)];
}

/** The period's themes against the baseline: phrases, volume per day and three quotes with personal data masked. */
export async function readTopics(ctx: Context, q: TopicsQuery) {
  const [period, baseline] = await Promise.all([docsOf(ctx, q, q.from, q.to), docsOf(ctx, q, q.baselineFrom, q.baselineTo)]);
  const byId = new Map(period.map((d) => [d.id, d]));
  const days = daysBetween(ctx, q.from, q.to);
  const themes = themesOf(scorePhrases(period, baseline)).map((t) => ({
    label: redactPersonalData(t.phrases[0]?.label ?? ''),
    messages: t.docs.length,
    phrases: t.phrases.slice(0, 8).map((p) => ({
      phrase: redactPersonalData(p.label),
      period: p.period,
      baseline: p.baseline,
      log_odds: Math.round(p.delta * 100) / 100,
      z: Math.round(p.z * 100) / 100,
    })),
    trend: perDay(t.docs, byId, days),
    quotes: representative(t, byId).map((d) => ({ text: redactPersonalData(d.text).slice(0, QUOTE_CHARS), day: d.day })),
  }));
  return { days, messages: { period: period.length, baseline: baseline.length }, themes };
}
