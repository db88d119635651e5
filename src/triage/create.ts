// Builds the seed-keyword triage engine from a city's configuration, with the shipped sentiment judge. The learnt
// category model goes on top of it in the running centre (learning/live.ts).
import type { City } from '../config/load.js';
import { AddressFinder } from './address.js';
import { KeywordTriage } from './engine.js';
import { SentimentJudge } from './sentiment/index.js';
import type { TriageEngine } from './types.js';

/** The parts of a city's configuration that triage reads: plain data, which a worker thread can be sent. */
export type TriageCity = Pick<City, 'categories' | 'triage' | 'shapes'> & { city: Pick<City['city'], 'districts' | 'default_language'> };

/** Those parts alone (a City holds classes, such as its router, that cannot go to a worker thread). */
export const triageCity = (c: TriageCity): TriageCity => ({
  categories: c.categories,
  triage: c.triage,
  shapes: c.shapes,
  city: { districts: c.city.districts, default_language: c.city.default_language },
});

export function createTriageEngine(city: TriageCity): TriageEngine {
  return new KeywordTriage({
    categories: city.categories,
    urgency: city.triage.urgency,
    kinds: city.triage.kinds,
    addresses: new AddressFinder(city.triage.streets, city.triage.areas),
    // "район Есиль" is found as "Есиль": the word for district is not part of the name.
    districts: city.city.districts.map((d) => ({
      id: d.id,
      names: [d.name.ru, d.name.kk, d.name.en].map((n) => n.replace(/район|ауданы|district/giu, '').trim()),
    })),
    shapes: city.shapes,
    defaultLanguage: city.city.default_language,
    sentiment: SentimentJudge.shipped(),
  });
}
