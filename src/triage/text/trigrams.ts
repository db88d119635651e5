// Character-trigram likelihoods for Russian, Kazakh and English, for words that no list or ending decides.
// The profiles are franc-min's (ranked trigrams of each language, MIT); ranks become Zipf probabilities. A second
// Kazakh profile is folded (қ→к, ә→а …) so Kazakh typed without Kazakh letters is still recognised as Kazakh.
import { data } from 'franc-min/data.js';
import { foldKazakh } from './translit.js';

export type TrigramModel = Map<string, number>;

const ZIPF_OFFSET = 20;
const PROFILE_SIZE = 300;
// Every profile has the same ranks, so one total and one floor for unseen trigrams serve all models and keep
// their likelihoods comparable.
const FLOOR = 0.25 / (PROFILE_SIZE + ZIPF_OFFSET);
let TOTAL = FLOOR * 50;
for (let rank = 0; rank < PROFILE_SIZE; rank++) TOTAL += 1 / (rank + ZIPF_OFFSET);
const UNSEEN = Math.log(FLOOR / TOTAL);

function build(profile: string, map: (t: string) => string = (t) => t): TrigramModel {
  const mass = new Map<string, number>();
  profile.split('|').forEach((t, rank) => {
    const key = map(t);
    mass.set(key, (mass.get(key) ?? 0) + 1 / (rank + ZIPF_OFFSET));
  });
  const model: TrigramModel = new Map();
  for (const [k, v] of mass) model.set(k, Math.log(v / TOTAL));
  return model;
}

const profiles = data as Record<string, Record<string, string>>;
export const TRIGRAMS = {
  ru: build(profiles['Cyrillic']!['rus']!),
  kk: build(profiles['Cyrillic']!['kaz']!),
  kkFolded: build(profiles['Cyrillic']!['kaz']!, foldKazakh),
  en: build(profiles['Latin']!['eng']!),
};

/** Mean log-probability per trigram of a single lower-case word under a model (padded with spaces, as franc is). */
export function wordLikelihood(word: string, model: TrigramModel): number {
  const w = ` ${word} `;
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 3 <= w.length; i++) {
    sum += model.get(w.slice(i, i + 3)) ?? UNSEEN;
    n++;
  }
  return n ? sum / n : UNSEEN;
}
