// A trained triage model as one gzip file: magic, a JSON header (format version, labels, training size, date,
// held-out metrics, feature settings, temperature) and binary sections holding only the buckets in use.
// Loading checks everything it reads and says plainly what is wrong, since the file may come from anywhere.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { DEFAULT_NORMALISER_ID, defaultNormalise, type Normalise } from './features.js';
import type { Model } from './softmax.js';

const MAGIC = Buffer.from('QALATRM\0', 'latin1');
export const FORMAT_VERSION = 1;

const Header = z.object({
  format: z.literal('qala-triage-model'),
  version: z.number().int(),
  labels: z
    .array(z.string().min(1))
    .min(2)
    .refine((l) => new Set(l).size === l.length, 'labels repeat'),
  normaliserId: z.string().min(1),
  features: z.object({
    bits: z.number().int().min(10).max(24),
    wordNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    charNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    wordWeight: z.number().min(0),
    charWeight: z.number().min(0),
    minDf: z.number().int().min(1),
    maxChars: z.number().int().min(1),
  }),
  temperature: z.number().positive(),
  buckets: z.number().int().min(0),
  namesBytes: z.number().int().min(0),
  info: z.object({
    trainingSize: z.number().int().min(0),
    classSizes: z.record(z.string(), z.number()),
    created: z.string(),
    heldOut: z.any().nullable(),
    options: z.any(),
    trainSeconds: z.number(),
  }),
});

/** Writes the model next to its final name first, so a crash never leaves a half-written model in place. */
export async function saveModel(m: Model, file: string): Promise<number> {
  const bytes = encodeModel(m);
  await writeFile(`${file}.tmp`, bytes);
  await rename(`${file}.tmp`, file);
  return bytes.length;
}

/** The model as the bytes of a model file (also what the database keeps). */
export function encodeModel(m: Model): Buffer {
  const k = m.labels.length;
  const stride = k + 1;
  const used: number[] = [];
  for (let b = 0; b < m.table.length / stride; b++) if (m.table[b * stride] !== 0) used.push(b);
  const deltas = new Uint32Array(used.length);
  const idf = new Float32Array(used.length);
  const weights = new Float32Array(used.length * k);
  used.forEach((b, i) => {
    deltas[i] = b - (i ? (used[i - 1] as number) : 0); // small gaps compress far better than bucket numbers
    idf[i] = m.table[b * stride] as number;
    for (let c = 0; c < k; c++) weights[i * k + c] = m.table[b * stride + 1 + c] as number;
  });
  // Names hold no line breaks (n-grams never span whitespace), so one name per line is unambiguous.
  const names = Buffer.from(used.map((b) => (m.names[b] ?? '').replace(/\n/g, ' ')).join('\n'), 'utf8');
  const header = Buffer.from(
    JSON.stringify({
      format: 'qala-triage-model',
      version: FORMAT_VERSION,
      labels: m.labels,
      normaliserId: m.normaliserId,
      features: m.features,
      temperature: m.temperature,
      buckets: used.length,
      namesBytes: names.length,
      info: m.info,
    }),
    'utf8',
  );
  const size = Buffer.alloc(4);
  size.writeUInt32LE(header.length);
  return gzipSync(Buffer.concat([MAGIC, size, header, bytesOf(deltas), bytesOf(idf), bytesOf(weights), bytesOf(m.bias), names]), { level: 6 });
}

const bytesOf = (a: Uint32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export interface LoadOptions {
  /** The normaliser the model was trained with, when it is not the default one. */
  normalise?: Normalise;
  normaliserId?: string;
}

export async function loadModel(file: string, o: LoadOptions = {}): Promise<Model> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new Error(`cannot read model ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return decodeModel(raw, file, o);
}

export function decodeModel(raw: Buffer, file: string, o: LoadOptions = {}): Model {
  const fail = (why: string): never => {
    throw new Error(`${file} is not a usable Qala triage model: ${why}`);
  };
  let buf: Buffer = Buffer.alloc(0);
  try {
    buf = gunzipSync(raw);
  } catch {
    fail('not gzip-compressed (damaged, or not a model file)');
  }
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) fail('wrong magic bytes');
  const headerEnd = 12 + buf.readUInt32LE(8);
  if (headerEnd > buf.length) fail('the header is cut short');
  let json: unknown;
  try {
    json = JSON.parse(buf.subarray(12, headerEnd).toString('utf8'));
  } catch {
    fail('the header is not JSON');
  }
  const version = (json as { version?: unknown })?.version;
  if (typeof version === 'number' && version > FORMAT_VERSION)
    fail(`format version ${version} is newer than this Qala reads (${FORMAT_VERSION}): upgrade Qala`);
  const parsed = Header.safeParse(json);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.') || 'header'}: ${i.message}`).join('; '));
  const h = parsed.data as z.infer<typeof Header>;
  if (h.version !== FORMAT_VERSION) fail(`format version ${h.version} is not supported (this Qala reads ${FORMAT_VERSION})`);
  const n = h.buckets;
  const k = h.labels.length;
  const expected = headerEnd + 4 * (n + n + n * k + k) + h.namesBytes;
  if (buf.length !== expected) fail(`expected ${expected} bytes after decompression, found ${buf.length} (truncated or damaged)`);
  const normaliserId = o.normaliserId ?? DEFAULT_NORMALISER_ID;
  if (h.normaliserId !== normaliserId)
    fail(`it was trained with the normaliser "${h.normaliserId}", but "${normaliserId}" was given: pass the same normaliser`);

  let at = headerEnd;
  const take = <T>(count: number, make: (b: ArrayBuffer) => T): T => {
    const copy = new Uint8Array(count * 4); // a copy is aligned, whatever the offset in the file
    copy.set(buf.subarray(at, at + count * 4));
    at += count * 4;
    return make(copy.buffer);
  };
  const deltas = take(n, (b) => new Uint32Array(b));
  const idf = take(n, (b) => new Float32Array(b));
  const weights = take(n * k, (b) => new Float32Array(b));
  const bias = take(k, (b) => new Float32Array(b));
  const names = buf
    .subarray(at, at + h.namesBytes)
    .toString('utf8')
    .split('\n');

  const size = 1 << h.features.bits;
  const table = new Float32Array(size * (k + 1));
  const nameOf = new Array<string>(size).fill('');
  let bucket = 0;
  for (let i = 0; i < n; i++) {
    bucket += deltas[i] as number;
    if (bucket >= size || (i > 0 && deltas[i] === 0)) fail('bucket numbers out of order or out of range');
    const v = idf[i] as number;
    if (!(v > 0) || !Number.isFinite(v)) fail(`bucket ${bucket} has an invalid IDF`);
    table[bucket * (k + 1)] = v;
    for (let c = 0; c < k; c++) table[bucket * (k + 1) + 1 + c] = weights[i * k + c] as number;
    nameOf[bucket] = names[i] ?? '';
  }
  if (!weights.every(Number.isFinite) || !bias.every(Number.isFinite)) fail('weights hold non-finite numbers');
  return {
    labels: h.labels,
    features: h.features as Model['features'],
    table,
    bias,
    temperature: h.temperature,
    names: nameOf,
    normalise: o.normalise ?? defaultNormalise,
    normaliserId: h.normaliserId,
    info: h.info as Model['info'],
  };
}
