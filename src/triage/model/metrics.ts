// Quality figures of a classifier: accuracy, per-class precision/recall/F1, macro-F1, the worst confusions and
// the expected calibration error. Plain functions over label lists, shared by training, `qala eval` and the bench.

export interface ClassReport {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Confusion {
  truth: string;
  predicted: string;
  count: number;
}

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  classes: ClassReport[];
  confusions: Confusion[];
}

/** Classes are those of the truth and of the predictions; macro-F1 averages over the classes present in the truth,
 * as scikit-learn does when both lists are given. */
export function report(truth: readonly string[], predicted: readonly string[], worst = 5): Report {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const labels = [...new Set([...truth, ...predicted])].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const m = new Array<number>(k * k).fill(0);
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = at.get(truth[i] as string) as number;
    const p = at.get(predicted[i] as string) as number;
    m[t * k + p]!++;
    if (t === p) correct++;
  }
  const classes = labels.map((label, c) => {
    let tp = 0;
    let row = 0;
    let col = 0;
    for (let j = 0; j < k; j++) {
      row += m[c * k + j] as number;
      col += m[j * k + c] as number;
    }
    tp = m[c * k + c] as number;
    const precision = col ? tp / col : 0;
    const recall = row ? tp / row : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support: row, precision, recall, f1 };
  });
  const present = classes.filter((c) => c.support > 0);
  const confusions: Confusion[] = [];
  for (let t = 0; t < k; t++)
    for (let p = 0; p < k; p++)
      if (t !== p && (m[t * k + p] as number) > 0)
        confusions.push({ truth: labels[t] as string, predicted: labels[p] as string, count: m[t * k + p] as number });
  confusions.sort((a, b) => b.count - a.count || a.truth.localeCompare(b.truth));
  return {
    n: truth.length,
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: present.length ? present.reduce((s, c) => s + c.f1, 0) / present.length : 0,
    classes,
    confusions: confusions.slice(0, worst),
  };
}

/** Expected calibration error over 10 equal-width confidence bins: how far "confidence" is from the hit rate. */
export function calibrationError(confidence: readonly number[], correct: readonly boolean[]): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, hits: 0 }));
  confidence.forEach((c, i) => {
    const bin = bins[Math.min(9, Math.floor(c * 10))]!;
    bin.n++;
    bin.conf += c;
    if (correct[i]) bin.hits++;
  });
  const n = confidence.length || 1;
  return bins.reduce((s, b) => s + (b.n ? Math.abs(b.conf - b.hits) / n : 0), 0);
}
