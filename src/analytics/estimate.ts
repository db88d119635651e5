// The survey estimator: share of each answer among respondents, raw (Wilson interval) and re-weighted to the city's
// population by district (post-stratification), optionally raked to channel targets, with Kish's effective sample
// size and a plain ru/kk/en caveat, also in parts: who the respondents are (the caller may say, as the polls do), then
// each limit that applies. Pure and synchronous: the opinion module, the polls and the CLI all call it.
//
// Method (docs/analytics.md "Opinion on a question" says the same in plain words):
// - base weight b = 1, or 1/k when k responses share a `weightKey` (one resident, one voice);
// - district weights: among respondents with a known district, w = b · (P_d / P_R) / (B_d / B_known), where P_R is the
//   population of the districts that HAVE respondents (a district nobody answered from cannot be represented; the
//   caveat names it) and B are sums of base weights. Respondents with an unknown district keep w = b: they count as
//   an average respondent rather than being dropped, and the caveat says how many there were;
// - channel raking (when channelWeights are given): alternate the district step and a channel step (each channel's
//   total weight = its target share of the total, targets normalised over the channels present) until both margins
//   hold to 1e-9 or 100 rounds;
// - weights are finally scaled so Σw = Σb; n_eff = (Σw)² / Σw²; the weighted interval is Wilson's with n_eff in place
//   of n (a design-effect approximation; it widens the interval by the loss from unequal weights).

export type Lang3 = { ru: string; kk: string; en: string };

/** The districts' names by id, for EstimateOptions.districtNames. */
export const districtNamesOf = (districts: readonly { id: string; name: Lang3 }[]): Record<string, Lang3> =>
  Object.fromEntries(districts.map((d) => [d.id, d.name]));
export type Interval = { share: number; ci: [number, number] };

export type SurveyResponse = { answer: string; district: string | null; channel: string; weightKey?: string };

export type EstimateOptions = {
  answers: string[];
  /** Who the respondents are, the caveat's opening sentence; by default people who post online (ONLINE_SOURCE). */
  source?: Lang3;
  districtPopulation: Record<string, number>;
  /** The districts' names, so the caveat names them in each language (their codes otherwise). */
  districtNames?: Record<string, Lang3>;
  /** Target share of each channel in the population being described (relative numbers; normalised). */
  channelWeights?: Record<string, number>;
  confidence?: 0.95;
};

export type DistrictCell = { district: string; n: number; population: number; population_share: number; sample_share: number; weight: number };
export type ChannelCell = { channel: string; n: number; sample_share: number; target_share: number | null; weighted_share: number };

/** The caveat in its parts: who the respondents are, then each limit that applies to this estimate, one sentence each. */
export type CaveatParts = { source: Lang3; limits: Lang3[] };

export type Estimate = {
  n: number;
  answers: Record<string, { count: number; raw: Interval; weighted: Interval }>;
  effective_n: number;
  weighting: 'district' | 'district+channel' | 'none';
  small_sample: boolean;
  unknown_district: number;
  /** The whole caveat: the source sentence followed by the limits. */
  caveat: Lang3;
  caveat_parts: CaveatParts;
  cells: { districts: DistrictCell[]; channels: ChannelCell[]; missing_districts: string[] };
};

const Z95 = 1.959963984540054;
/** Below this many respondents a district or channel is "thin" and named in the caveat. */
export const THIN_CELL = 5;
/** Below this effective sample size the estimate carries a small-sample caution. */
export const SMALL_SAMPLE = 30;

/** Wilson score interval for a share p observed over n (n may be fractional: an effective size). */
export function wilson(p: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function groupTotals<T>(items: T[], key: (t: T) => string | null, value: (t: T, i: number) => number): Map<string, number> {
  const out = new Map<string, number>();
  items.forEach((t, i) => {
    const k = key(t);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + value(t, i));
  });
  return out;
}

export function estimateShares(responses: SurveyResponse[], options: EstimateOptions): Estimate {
  const z = Z95; // only 95% is offered: the caveats and docs speak of it
  const perKey = groupTotals(
    responses,
    (r) => r.weightKey ?? null,
    () => 1,
  );
  const base = responses.map((r) => (r.weightKey ? 1 / (perKey.get(r.weightKey) ?? 1) : 1));
  const n = sum(base);
  const pop = options.districtPopulation;
  const known = (d: string | null): d is string => d !== null && (pop[d] ?? 0) > 0;

  // District step: the respondents' districts that have a population figure.
  const baseByDistrict = groupTotals(
    responses,
    (r) => (known(r.district) ? r.district : null),
    (_, i) => base[i]!,
  );
  const popR = sum([...baseByDistrict.keys()].map((d) => pop[d]!));
  const bKnown = sum([...baseByDistrict.values()]);
  const channelTargets = normaliseTargets(options.channelWeights, responses);
  let weighting: Estimate['weighting'] = bKnown > 0 ? 'district' : 'none';
  if (channelTargets) weighting = weighting === 'district' ? 'district+channel' : 'none';
  // Channel targets without any known district are not raked: one margin alone on an online sample is misleading.

  let w = [...base];
  const districtStep = () => {
    const byD = groupTotals(
      responses,
      (r) => (known(r.district) ? r.district : null),
      (_, i) => w[i]!,
    );
    const total = sum([...byD.values()]);
    w = w.map((wi, i) => {
      const d = responses[i]!.district;
      return known(d) ? (wi * total * (pop[d]! / popR)) / byD.get(d)! : wi;
    });
  };
  const channelStep = (targets: Map<string, number>) => {
    const byC = groupTotals(
      responses,
      (r) => r.channel,
      (_, i) => w[i]!,
    );
    const total = sum(w);
    w = w.map((wi, i) => (wi * total * targets.get(responses[i]!.channel)!) / byC.get(responses[i]!.channel)!);
  };
  if (weighting !== 'none') {
    districtStep();
    if (channelTargets) {
      for (let round = 0; round < 100; round++) {
        channelStep(channelTargets);
        districtStep();
        const byC = groupTotals(
          responses,
          (r) => r.channel,
          (_, i) => w[i]!,
        );
        const total = sum(w);
        if ([...channelTargets].every(([c, t]) => Math.abs((byC.get(c) ?? 0) / total - t) < 1e-9)) break;
      }
    }
    const scale = n / sum(w);
    w = w.map((x) => x * scale);
  }
  const sw = sum(w);
  const sw2 = sum(w.map((x) => x * x));
  const effective_n = sw2 > 0 ? (sw * sw) / sw2 : 0;

  const answers: Estimate['answers'] = {};
  for (const a of options.answers) {
    const k = sum(responses.map((r, i) => (r.answer === a ? base[i]! : 0)));
    const kw = sum(responses.map((r, i) => (r.answer === a ? w[i]! : 0)));
    const p = n > 0 ? k / n : 0;
    const pw = sw > 0 ? kw / sw : 0;
    answers[a] = {
      count: round(k, 2),
      raw: { share: round(p), ci: wilson(p, n, z).map((x) => round(x)) as [number, number] },
      weighted: { share: round(pw), ci: wilson(pw, effective_n, z).map((x) => round(x)) as [number, number] },
    };
  }

  const totalPop = sum(Object.values(pop).filter((p) => p > 0));
  const districts: DistrictCell[] = Object.entries(pop)
    .filter(([, p]) => p > 0)
    .map(([district, population]) => {
      const nd = baseByDistrict.get(district) ?? 0;
      const wd = sum(responses.map((r, i) => (r.district === district ? w[i]! : 0)));
      return {
        district,
        n: round(nd, 2),
        population,
        population_share: round(population / totalPop),
        sample_share: n > 0 ? round(nd / n) : 0,
        weight: nd > 0 ? round(wd / nd) : 0, // mean weight per respondent
      };
    });
  const byChannel = groupTotals(
    responses,
    (r) => r.channel,
    (_, i) => base[i]!,
  );
  const wByChannel = groupTotals(
    responses,
    (r) => r.channel,
    (_, i) => w[i]!,
  );
  const channels: ChannelCell[] = [...byChannel].map(([channel, nc]) => ({
    channel,
    n: round(nc, 2),
    sample_share: round(nc / n),
    target_share: channelTargets ? round(channelTargets.get(channel) ?? 0) : null,
    weighted_share: sw > 0 ? round((wByChannel.get(channel) ?? 0) / sw) : 0,
  }));
  const unknown_district = round(n - bKnown, 2);
  const missing_districts = districts.filter((d) => d.n === 0).map((d) => d.district);
  const small_sample = effective_n < SMALL_SAMPLE;
  const limits = caveatLimits({
    n,
    effective_n,
    small_sample,
    unknown_district,
    districts,
    channels,
    missing_districts,
    weighting,
    names: options.districtNames,
  });
  const caveat_parts: CaveatParts = { source: options.source ?? ONLINE_SOURCE, limits };
  return {
    n: round(n, 2),
    answers,
    effective_n: round(effective_n, 2),
    weighting,
    small_sample,
    unknown_district,
    caveat: joinCaveat(caveat_parts),
    caveat_parts,
    cells: { districts, channels, missing_districts },
  };
}

function normaliseTargets(weights: Record<string, number> | undefined, responses: SurveyResponse[]): Map<string, number> | null {
  if (!weights) return null;
  const present = [...new Set(responses.map((r) => r.channel))].filter((c) => (weights[c] ?? 0) > 0);
  // A channel in the sample without a target would have to be weighted to zero: rather not rake at all.
  if (present.length === 0 || present.length < new Set(responses.map((r) => r.channel)).size) return null;
  const total = sum(present.map((c) => weights[c]!));
  return new Map(present.map((c) => [c, weights[c]! / total]));
}

type CaveatFacts = {
  n: number;
  effective_n: number;
  small_sample: boolean;
  unknown_district: number;
  districts: DistrictCell[];
  channels: ChannelCell[];
  missing_districts: string[];
  weighting: Estimate['weighting'];
  names: Record<string, Lang3> | undefined;
};

/** The default source sentence: the respondents are people who write online and to the city (opinion, the CLI). */
export const ONLINE_SOURCE: Lang3 = {
  ru: 'Это мнение тех, кто пишет в соцсетях и обращениях, а не опрос всех жителей: пишущие в интернете обычно моложе и активнее, а недовольные пишут чаще довольных.',
  kk: 'Бұл — барлық тұрғындарға жүргізілген сауалнама емес, әлеуметтік желілерде және өтініштерде жазатындардың пікірі: интернетте жазатындар әдетте жасырақ әрі белсендірек, ал наразылар ризалардан жиірек жазады.',
  en: 'This is the opinion of people who post online and write to the city, not a survey of all residents: people who post online tend to be younger and more active, and the dissatisfied write more often than the satisfied.',
};

/** The caveat as one paragraph per language: the source sentence, then the limits. */
export function joinCaveat(parts: CaveatParts): Lang3 {
  const join = (lang: keyof Lang3) => [parts.source[lang], ...parts.limits.map((l) => l[lang])].join(' ');
  return { ru: join('ru'), kk: join('kk'), en: join('en') };
}

/** Plain-language limits of this estimate; each sentence appears only when it applies. */
function caveatLimits(f: CaveatFacts): Lang3[] {
  const out: Lang3[] = [];
  const add = (ru: string, kk: string, en: string) => {
    out.push({ ru, kk, en });
  };
  if (f.small_sample)
    add(
      `Эффективный размер выборки мал (${f.effective_n.toFixed(1)}): оценки очень приблизительны.`,
      `Тиімді іріктеме көлемі аз (${f.effective_n.toFixed(1)}): бағалау өте шамамен.`,
      `The effective sample size is small (${f.effective_n.toFixed(1)}): treat the shares as rough.`,
    );
  if (f.weighting === 'none')
    add(
      'Взвесить по районам не удалось: доли не поправлены на население.',
      'Аудандар бойынша өлшеу мүмкін болмады: үлестер халық санына түзетілмеген.',
      'No district weighting was possible: the shares are not corrected for population.',
    );
  const thin = f.districts.filter((d) => d.n > 0 && d.n < THIN_CELL).map((d) => d.district);
  const named = (ids: string[], lang: keyof Lang3) => ids.map((d) => f.names?.[d]?.[lang] ?? d).join(', ');
  if (thin.length)
    add(
      `Мало ответов из районов: ${named(thin, 'ru')} — их вес велик, а оценка по ним шатка.`,
      `Мына аудандардан жауап аз: ${named(thin, 'kk')} — олардың салмағы үлкен, бағасы тұрақсыз.`,
      `Few respondents from: ${named(thin, 'en')} — they carry large weights and are uncertain.`,
    );
  if (f.missing_districts.length)
    add(
      `Никто не ответил из районов: ${named(f.missing_districts, 'ru')} — их мнение не представлено.`,
      `Мына аудандардан ешкім жауап бермеді: ${named(f.missing_districts, 'kk')} — олардың пікірі көрсетілмеген.`,
      `Nobody answered from: ${named(f.missing_districts, 'en')} — their opinion is not represented.`,
    );
  if (f.unknown_district > 0)
    add(
      `У ${f.unknown_district} ответов район неизвестен; они учтены с весом 1.`,
      `${f.unknown_district} жауаптың ауданы белгісіз; олар 1 салмақпен есептелді.`,
      `${f.unknown_district} responses have no known district; they are counted with weight 1.`,
    );
  const over = f.channels.filter((c) =>
    c.target_share !== null ? c.sample_share > 1.5 * c.target_share : c.sample_share > 0.6 && f.channels.length > 1,
  );
  if (over.length)
    add(
      `Перепредставлены каналы: ${over.map((c) => c.channel).join(', ')}.`,
      `Артық көрсетілген арналар: ${over.map((c) => c.channel).join(', ')}.`,
      `Over-represented channels: ${over.map((c) => c.channel).join(', ')}.`,
    );
  return out;
}
