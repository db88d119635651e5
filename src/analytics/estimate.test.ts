// The estimator against shares, weights and intervals worked out by hand (the arithmetic is in the comments).
import { describe, expect, it } from 'vitest';
import { estimateShares, type SurveyResponse, wilson } from './estimate.js';

const r = (answer: string, district: string | null, channel = 'telegram', weightKey?: string): SurveyResponse => ({
  answer,
  district,
  channel,
  ...(weightKey ? { weightKey } : {}),
});
const ANSWERS = ['for', 'against', 'neutral'];

describe('Wilson interval', () => {
  it('matches the textbook value for 5 of 10', () => {
    // z = 1.959964, z² = 3.841459; denom = 1 + z²/10 = 1.3841459; centre = (0.5 + 0.192073)/1.3841459 = 0.5
    // half = (1.959964/1.3841459)·√(0.25/10 + 3.841459/400) = 1.416009·√0.0346036 = 1.416009·0.186020 = 0.263406
    const [lo, hi] = wilson(0.5, 10);
    expect(lo).toBeCloseTo(0.236594, 5);
    expect(hi).toBeCloseTo(0.763406, 5);
  });
  it('never leaves [0, 1] and is [0, 1] with nobody', () => {
    expect(wilson(0, 3)[0]).toBe(0);
    expect(wilson(1, 3)[1]).toBeCloseTo(1, 10);
    expect(wilson(0.5, 0)).toEqual([0, 1]);
  });
});

describe('estimateShares by district', () => {
  // Districts A (population 600), B (400), C (1000, nobody answered). 10 responses:
  //   A: for ×4, against ×2     B: against ×2     unknown district: for ×1, neutral ×1
  const fixture = [
    ...Array.from({ length: 4 }, () => r('for', 'A')),
    r('against', 'A'),
    r('against', 'A'),
    r('against', 'B'),
    r('against', 'B'),
    r('for', null),
    r('neutral', null),
  ];
  const est = estimateShares(fixture, { answers: ANSWERS, districtPopulation: { A: 600, B: 400, C: 1000 } });

  it('gives raw shares with the Wilson interval', () => {
    // raw: for 5/10 = 0.5 → [0.2366, 0.7634] (see the Wilson test); against 4/10 = 0.4; neutral 1/10 = 0.1
    expect(est.n).toBe(10);
    expect(est.answers.for!.raw).toEqual({ share: 0.5, ci: [0.2366, 0.7634] });
    expect(est.answers.against!.raw.share).toBe(0.4);
    expect(est.answers.neutral!.raw.share).toBe(0.1);
  });

  it('post-stratifies to the population of the districts that answered and keeps unknown districts at weight 1', () => {
    // P_R = 600 + 400 = 1000 (C has nobody, left out); known respondents = 8
    // w_A = (600/1000) / (6/8) = 0.6/0.75 = 0.8      w_B = (400/1000) / (2/8) = 0.4/0.25 = 1.6      w_unknown = 1
    // Σw = 6·0.8 + 2·1.6 + 2·1 = 4.8 + 3.2 + 2 = 10 (already n, scale 1)
    // for = 4·0.8 + 1 = 4.2 → 0.42; against = 2·0.8 + 2·1.6 = 4.8 → 0.48; neutral = 1 → 0.10
    expect(est.weighting).toBe('district');
    expect(est.answers.for!.weighted.share).toBe(0.42);
    expect(est.answers.against!.weighted.share).toBe(0.48);
    expect(est.answers.neutral!.weighted.share).toBe(0.1);
    const cells = Object.fromEntries(est.cells.districts.map((d) => [d.district, d]));
    expect(cells.A!.weight).toBe(0.8);
    expect(cells.B!.weight).toBe(1.6);
    expect(est.unknown_district).toBe(2);
    expect(est.cells.missing_districts).toEqual(['C']);
  });

  it('names the districts in the caveat in each language when their names are given, by code otherwise', () => {
    expect(est.caveat.ru).toContain('Никто не ответил из районов: C');
    const names = { C: { ru: 'Сарыарка', kk: 'Сарыарқа', en: 'Saryarka' } };
    const named = estimateShares(fixture, { answers: ANSWERS, districtPopulation: { A: 600, B: 400, C: 1000 }, districtNames: names });
    expect(named.caveat.ru).toContain('Никто не ответил из районов: Сарыарка');
    expect(named.caveat.kk).toContain('ешкім жауап бермеді: Сарыарқа');
    expect(named.caveat.en).toContain('Nobody answered from: Saryarka');
    expect(named.cells.missing_districts).toEqual(['C']);
  });

  it('uses the Kish effective sample size for the weighted interval', () => {
    // Σw² = 6·0.64 + 2·2.56 + 2·1 = 3.84 + 5.12 + 2 = 10.96;  n_eff = 10² / 10.96 = 9.1241
    // Wilson(0.42, 9.1241): z²/n = 0.421023, denom = 1.421023, centre = (0.42 + 0.210512)/1.421023 = 0.443703
    //   half = (1.959964/1.421023)·√(0.42·0.58/9.1241 + 3.841459/(4·9.1241²)) = 1.379263·√(0.026699 + 0.011536)
    //        = 1.379263·0.195538 = 0.269698  →  [0.1740, 0.7134]
    expect(est.effective_n).toBe(9.12);
    expect(est.answers.for!.weighted.ci).toEqual([0.174, 0.7134]);
  });

  it('says in three languages what is not represented', () => {
    expect(est.small_sample).toBe(true);
    for (const lang of ['ru', 'kk', 'en'] as const) {
      expect(est.caveat[lang]).toContain('C'); // the district nobody answered from
      expect(est.caveat[lang]).toContain('9.1'); // the small effective sample
    }
    expect(est.caveat.en).toContain('younger');
    expect(est.caveat.ru).toContain('моложе');
    expect(est.caveat.kk).toContain('жасырақ');
  });
});

describe('estimateShares raked by channel', () => {
  // A (500) and B (500); channel targets telegram 1 : instagram 3 (0.25 / 0.75).
  //   A: telegram for ×2, instagram against ×2      B: telegram for ×1, instagram against ×1
  // District step: w_A = 0.5/(4/6) = 0.75, w_B = 0.5/(2/6) = 1.5 → telegram 2·0.75 + 1.5 = 3, instagram 3, total 6
  // Channel step: telegram × (0.25·6/3) = ×0.5, instagram × (0.75·6/3) = ×1.5
  //   A-tg 0.375, A-ig 1.125, B-tg 0.75, B-ig 2.25 → A = 0.75 + 2.25 = 3, B = 0.75 + 2.25 = 3: both margins hold.
  // for = 2·0.375 + 0.75 = 1.5 of 6 → 0.25; Σw² = 2·0.140625 + 2·1.265625 + 0.5625 + 5.0625 = 8.4375
  // n_eff = 36 / 8.4375 = 4.2667
  const fixture = [
    r('for', 'A'),
    r('for', 'A'),
    r('against', 'A', 'instagram'),
    r('against', 'A', 'instagram'),
    r('for', 'B'),
    r('against', 'B', 'instagram'),
  ];
  const est = estimateShares(fixture, {
    answers: ANSWERS,
    districtPopulation: { A: 500, B: 500 },
    channelWeights: { telegram: 1, instagram: 3 },
  });

  it('reproduces both margins and the hand-computed share', () => {
    expect(est.weighting).toBe('district+channel');
    expect(est.answers.for!.raw.share).toBe(0.5);
    expect(est.answers.for!.weighted.share).toBe(0.25);
    expect(est.answers.against!.weighted.share).toBe(0.75);
    expect(est.effective_n).toBe(4.27);
    const tg = est.cells.channels.find((c) => c.channel === 'telegram')!;
    expect(tg).toMatchObject({ n: 3, sample_share: 0.5, target_share: 0.25, weighted_share: 0.25 });
    expect(est.caveat.en).toContain('Over-represented channels: telegram');
  });

  it('does not rake when a channel in the sample has no target', () => {
    const e = estimateShares(fixture, { answers: ANSWERS, districtPopulation: { A: 500, B: 500 }, channelWeights: { telegram: 1 } });
    expect(e.weighting).toBe('district');
  });
});

describe('estimateShares edge cases', () => {
  it('falls back to no weighting when no district is known, weighted = raw', () => {
    const e = estimateShares([r('for', null), r('against', 'Z')], { answers: ANSWERS, districtPopulation: { A: 1 } });
    expect(e.weighting).toBe('none');
    expect(e.answers.for!.weighted).toEqual(e.answers.for!.raw);
    expect(e.effective_n).toBe(2);
    expect(e.caveat.en).toContain('No district weighting');
  });

  it('gives one voice per resident when responses share a weightKey', () => {
    // resident x: for, for, against → 2/3 for + 1/3 against; resident y: against → n = 2, for = 2/3 / 2 = 0.3333
    const e = estimateShares([r('for', null, 'tg', 'x'), r('for', null, 'tg', 'x'), r('against', null, 'tg', 'x'), r('against', null, 'tg', 'y')], {
      answers: ANSWERS,
      districtPopulation: {},
    });
    expect(e.n).toBe(2);
    expect(e.answers.for!.raw.share).toBe(0.3333);
  });

  it('handles an empty sample', () => {
    const e = estimateShares([], { answers: ANSWERS, districtPopulation: { A: 1 } });
    expect(e.n).toBe(0);
    expect(e.answers.for!.raw).toEqual({ share: 0, ci: [0, 1] });
  });
});
