// Seeded randomness of the triage model: shuffles and stratified splits that repeat exactly for one seed,
// so a training run, its held-out slice and a benchmark split can be reproduced by anyone.

/** mulberry32: tiny, fast and good enough for shuffling; returns floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(a: T[] | Int32Array | Uint32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
}

/** Splits each class on its own, so a rare class keeps its share on both sides (at least one row in `test`
 * when it has two or more). Returns indices into `labels`, each side in the original order. */
export function stratifiedSplit(labels: readonly string[], testFraction: number, seed: number): { train: number[]; test: number[] } {
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  });
  const random = rng(seed);
  const inTest = new Uint8Array(labels.length);
  for (const key of [...byClass.keys()].sort()) {
    const members = byClass.get(key) as number[];
    shuffleInPlace(members, random);
    let k = Math.round(members.length * testFraction);
    if (k === 0 && members.length >= 2 && testFraction > 0) k = 1;
    if (k >= members.length && members.length > 0) k = members.length - 1;
    for (let i = 0; i < k; i++) inTest[members[i] as number] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) (inTest[i] ? test : train).push(i);
  return { train, test };
}
