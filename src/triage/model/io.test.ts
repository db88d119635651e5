// Saving and loading: a round trip predicts identically; damaged or foreign files fail with a clear message.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, loadModel, saveModel } from './io.js';
import { type Model, predict } from './softmax.js';
import { toyHistory } from './toy.js';
import { trainModel } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'qala-model-'));
const file = join(dir, 'toy.qtm');
let model: Model;
beforeAll(async () => {
  model = trainModel(toyHistory(), { features: { bits: 18 } });
  await saveModel(model, file);
});

describe('save and load', () => {
  it('gives identical predictions, explanations and metadata after a round trip', async () => {
    const loaded = await loadModel(file);
    expect(loaded.labels).toEqual(model.labels);
    expect(loaded.info.trainingSize).toBe(model.info.trainingSize);
    expect(loaded.info.heldOut?.report.accuracy).toBe(model.info.heldOut?.report.accuracy);
    for (const h of [...toyHistory(5, 99), { text: '', label: '' }, { text: 'совсем другое', label: '' }])
      expect(predict(loaded, h.text)).toEqual(predict(model, h.text));
  });

  it('stores only the buckets in use, compressed', () => {
    expect(readFileSync(file).length).toBeLessThan(300_000);
  });

  it('says why a file is not a model', async () => {
    const bytes = readFileSync(file);
    const plain = gunzipSync(bytes);
    const bad = (b: Buffer) => () => decodeModel(b, 'm.qtm');
    expect(bad(Buffer.from('hello'))).toThrow(/m\.qtm is not a usable Qala triage model: not gzip/);
    expect(bad(gzipSync(Buffer.from('PK\u0003\u0004 something else entirely')))).toThrow(/wrong magic/);
    expect(bad(gzipSync(plain.subarray(0, plain.length - 10)))).toThrow(/truncated/);
    const header = JSON.parse(plain.subarray(12, 12 + plain.readUInt32LE(8)).toString('utf8'));
    const withHeader = (h: unknown) => {
      const json = Buffer.from(JSON.stringify(h));
      const size = Buffer.alloc(4);
      size.writeUInt32LE(json.length);
      return gzipSync(Buffer.concat([plain.subarray(0, 8), size, json, plain.subarray(12 + plain.readUInt32LE(8))]));
    };
    expect(bad(withHeader({ ...header, version: 99 }))).toThrow(/newer than this Qala reads/);
    expect(bad(withHeader({ ...header, labels: ['only'] }))).toThrow(/labels/);
    expect(bad(withHeader({ ...header, temperature: -1 }))).toThrow(/temperature/);
    await expect(loadModel(join(dir, 'missing.qtm'))).rejects.toThrow(/cannot read model .*ENOENT/);
  });

  it('refuses to load with a normaliser other than the one it was trained with', async () => {
    await expect(loadModel(file, { normaliserId: 'translit-v2', normalise: (s) => s })).rejects.toThrow(/normaliser/);
    writeFileSync(join(dir, 'empty.qtm'), '');
    await expect(loadModel(join(dir, 'empty.qtm'))).rejects.toThrow(/not gzip/);
  });
});
