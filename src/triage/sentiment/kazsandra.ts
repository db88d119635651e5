// KazSAnDRA (ISSAI, CC BY 4.0) as the sentiment model's data: both shipped files merged by custom_id, each review
// given a polarity (and a three-way label where stars allow), and one fixed split by a hash of the id, so the
// training script and the bench agree on which reviews are never trained on.
import { readRows } from '../model/dataset.js';
import { hashString } from '../model/ngrams.js';

export const KAZSANDRA_DIR = process.env.QALA_SHARED_DATA ? `${process.env.QALA_SHARED_DATA}/kazsandra` : '/work/shared/data/kazsandra';

export type Part = 'train' | 'validation' | 'test';
export type Polarity = 'negative' | 'positive';

export interface Review {
  id: string;
  text: string;
  /** Null for a three-star review: it is neither, and the binary model never trains on it. */
  polarity: Polarity | null;
  /** negative (1–2 stars or polarity 0), neutral (3 stars), positive (4–5 stars or polarity 1). */
  sentiment: 'negative' | 'neutral' | 'positive';
  part: Part;
}

/** 20% test, 10% validation, 70% train, by a hash of the id: stable whatever order or subset the files come in. */
export function partOf(id: string): Part {
  const r = hashString(id) % 10;
  return r < 2 ? 'test' : r === 2 ? 'validation' : 'train';
}

const STARS: Record<string, Review['sentiment']> = { '0': 'negative', '1': 'negative', '2': 'neutral', '3': 'positive', '4': 'positive' };

/** Reads 05_pc_test.csv (polarity) and 10_sc_test.csv (stars); an id in both (they share 1,660) is kept once. */
export async function readKazSAnDRA(dir = KAZSANDRA_DIR): Promise<Review[]> {
  const byId = new Map<string, Review>();
  const add = (id: string, text: string, sentiment: Review['sentiment']) => {
    if (!id || !text.trim() || byId.has(id)) return;
    byId.set(id, { id, text, sentiment, polarity: sentiment === 'neutral' ? null : sentiment, part: partOf(id) });
  };
  for await (const { record: r } of readRows(`${dir}/05_pc_test.csv`, () => {})) {
    const label = String(r.label);
    if (label === '0' || label === '1') add(String(r.custom_id), String(r.text ?? ''), label === '1' ? 'positive' : 'negative');
  }
  for await (const { record: r } of readRows(`${dir}/10_sc_test.csv`, () => {})) {
    const s = STARS[String(r.label)];
    if (s) add(String(r.custom_id), String(r.text ?? ''), s);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
