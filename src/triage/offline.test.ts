// `qala triage` on worker threads writes exactly what it writes on one thread: the same lines, in input order,
// with the same repeats found among them; and each line is what the whole triage of its text says.
import { beforeAll, describe, expect, it } from 'vitest';
import { type City, loadCity } from '../config/load.js';
import { encodeModel } from './model/io.js';
import type { Model } from './model/softmax.js';
import { toyHistory } from './model/toy.js';
import { trainModel } from './model/train.js';
import { offlineTriage } from './offline.js';
import { type OfflineLine, triageStream } from './offline-stream.js';

let city: City;
let model: Model;
let lines: OfflineLine[];
beforeAll(async () => {
  city = await loadCity('config/cities/astana');
  model = trainModel(toyHistory(), { seed: 3, features: { bits: 16 } });
  const demo = city.demo.appeals.map((a) => a.text);
  const toy = toyHistory(400, 11).map((h) => h.text);
  // More than the workers' chunk of 2,000 lines after the first 500; repeats, HTML and empty text among them.
  lines = Array.from({ length: 2600 }, (_, i) => ({
    id: i % 7 === 0 ? `row-${i}` : i % 11 === 0 ? undefined : i,
    text:
      i % 5 === 0
        ? (demo[i % demo.length] as string)
        : i % 13 === 0
          ? `<p>${toy[i % toy.length]}</p>`
          : i % 97 === 0
            ? ''
            : (toy[i % toy.length] as string),
  }));
});

async function run(threads: number): Promise<string> {
  async function* read() {
    yield* lines;
  }
  let out = '';
  // The first 500 lines on this thread, the rest on the workers (a real run waits for 20,000).
  const options = { city, model, modelBytes: encodeModel(model), modelName: 'toy model', threads, alone: 500 };
  const n = await triageStream(read(), options, (block) => {
    out += block;
  });
  expect(n).toBe(lines.length);
  return out;
}

describe('offline triage', () => {
  it('writes the same lines on two threads as on one', async () => {
    const [one, two] = await Promise.all([run(1), run(2)]);
    expect(two).toBe(one);
    const rows = one.trimEnd().split('\n');
    expect(rows).toHaveLength(lines.length);
    // Repeats were found, and named by the earlier line's id.
    const repeats = rows.map((r) => JSON.parse(r)).filter((r) => r.duplicate_of !== null);
    expect(repeats.length).toBeGreaterThan(100);
    expect(repeats[0].explanation.duplicate.textSimilarity).toBeGreaterThan(0);
  }, 60_000);

  it('writes one JSON line per text, as JSON.stringify writes the triage of that text', () => {
    const line = offlineTriage(city, model);
    const a = JSON.parse(line('a-1', 'Нет горячей воды третий день, ул. Кенесары 40'));
    expect(Object.keys(a)).toEqual([
      'id',
      'language',
      'label',
      'confidence',
      'probabilities',
      'category',
      'kind',
      'sentiment',
      'urgency',
      'address',
      'district',
      'duplicate_of',
      'explanation',
    ]);
    expect(a).toMatchObject({ id: 'a-1', language: 'ru', label: 'water', category: 'HOTW', duplicate_of: null });
    expect(Object.keys(a.explanation)).toEqual(['label', 'language', 'category', 'urgency', 'kind', 'place']);
    // The same problem again is a repeat of the first line; a line without an id has none in its JSON.
    const b = JSON.parse(line(undefined, 'Нет горячей воды третий день, ул. Кенесары 40!'));
    expect('id' in b).toBe(false);
    expect(b.duplicate_of).toBe('a-1');
    expect(Object.keys(b.explanation).at(-1)).toBe('duplicate');
  });
});
