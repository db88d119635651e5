// Prediction reads a packed copy of the model's table and keeps only the winning label's shares: it must give
// exactly (bit for bit) what the plain computation over the whole table gives, for sparse and dense tables.
import { describe, expect, it } from 'vitest';
import { countFeatures, defaultNormalise, weigh } from './features.js';
import { packedTable, weighPacked } from './packed.js';
import { type Model, predict, softmaxInPlace } from './softmax.js';
import { toyHistory } from './toy.js';
import { trainModel } from './train.js';

const history = toyHistory();
// 2^18 buckets with a few thousand in use: the packed rows and their index. 2^10: most in use, the table itself.
const sparse = trainModel(history, { features: { bits: 18 } });
const dense = trainModel(history, { features: { bits: 10 } });
const texts = [
  ...toyHistory(6, 99).map((h) => h.text),
  '',
  '!!!',
  'совсем другое, ничего общего',
  'НЕТ ГОРЯЧЕЙ ВОДЫ уже третий день!!! 🔥',
  `${'су жоқ '.repeat(300)}`,
  'Ыстық су жоқ, жарық та жоқ, жолда шұңқыр — please help',
];

const idfOf = (m: Model) => {
  const stride = m.labels.length + 1;
  return Float32Array.from({ length: m.table.length / stride }, (_, b) => m.table[b * stride] as number);
};

/** The prediction as it reads plainly: weigh (as training does), score every label from the table, keep every
 * share, sort them all. */
function plainPredict(m: Model, text: string, explain: number) {
  const k = m.labels.length;
  const x = weigh(countFeatures(text, m.features, defaultNormalise), idfOf(m), m.features);
  const z = Float64Array.from(m.bias);
  const shares: number[][] = [];
  for (let f = 0; f < x.idx.length; f++) {
    const row: number[] = [];
    for (let c = 0; c < k; c++) {
      const share = (x.val[f] as number) * (m.table[(x.idx[f] as number) * (k + 1) + 1 + c] as number);
      row.push(Math.fround(share));
      z[c]! += share;
    }
    shares.push(row);
  }
  softmaxInPlace(z, m.temperature);
  const order = [...z.keys()].sort((a, b) => (z[b] as number) - (z[a] as number) || a - b);
  const best = order[0] as number;
  const features = shares
    .map((row, f) => ({ f, w: row[best] as number }))
    .filter((s) => s.w > 0)
    .sort((a, b) => b.w - a.w || a.f - b.f)
    .slice(0, explain)
    .map(({ f, w }) => {
      const bucket = x.idx[f] as number;
      return { feature: m.names[bucket] || `bucket:${bucket}`, weight: Math.round(w * 1e4) / 1e4 };
    });
  return {
    label: m.labels[best],
    confidence: z[best],
    probabilities: order.slice(0, 3).map((c) => ({ label: m.labels[c], p: z[c] })),
    features: explain > 0 ? features : [],
  };
}

describe('packed prediction', () => {
  it('packs a sparse table with an index and keeps a dense one as it is', () => {
    const s = packedTable(sparse);
    expect(s.index).not.toBeNull();
    expect(s.rows.length).toBeLessThan(sparse.table.length / 10);
    expect(packedTable(dense).index).toBeNull();
  });

  it('weighs a text to the same values, bit for bit, as training does', () => {
    for (const m of [sparse, dense])
      for (const text of texts) {
        const plain = weigh(countFeatures(text, m.features, defaultNormalise), idfOf(m), m.features);
        const packed = weighPacked(countFeatures(text, m.features, defaultNormalise), packedTable(m), m.features);
        expect([...packed.bucket]).toEqual([...plain.idx]);
        expect([...packed.val]).toEqual([...plain.val]);
      }
  });

  it('predicts label, probabilities and explanation exactly as the plain computation does', () => {
    let explained = 0;
    for (const m of [sparse, dense])
      for (const text of texts)
        for (const n of [0, 1, 3, 5, 12]) {
          const p = predict(m, text, n);
          expect(p).toEqual(plainPredict(m, text, n));
          explained += p.features.length;
        }
    expect(explained).toBeGreaterThan(100); // the explanations were not all empty
  });
});
