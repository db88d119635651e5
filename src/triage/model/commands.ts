// The model's command-line verbs: `qala train`, `qala triage`, `qala eval`. Results go to stdout, progress and
// skipped rows to stderr, so `qala triage … > out.jsonl` stays clean JSON lines.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readLabelled, readTexts } from './dataset.js';
import { DEFAULT_FEATURES } from './features.js';
import { loadModel, saveModel } from './io.js';
import { type Report, report } from './metrics.js';
import { predict } from './softmax.js';
import { trainModel } from './train.js';

export const MODEL_USAGE = `  train --input FILE --label FIELD --out MODEL [--text-field text] [--seed N] [--bits 20]
        [--class-weight balanced|none]
                   learn a triage model from a labelled history (CSV or JSONL)
  triage --model MODEL --input FILE [--text-field text] [--city DIR] [--threads N]
                   one JSON line per input row: id, language, label, confidence, kind, sentiment,
                   urgency, address, district, duplicate_of and the explanation (city from QALA_CITY_DIR);
                   past its first 20,000 rows a file is also triaged on N worker threads
                   (default: one per core, at most 8)
  eval --model MODEL --input FILE --label FIELD [--text-field text]
                   accuracy, macro-F1, per-class figures, worst confusions, texts per second`;

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function required(values: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((n) => typeof values[n] !== 'string' || values[n] === '');
  if (missing.length) throw new Error(`missing ${missing.map((m) => `--${m}`).join(', ')}\n${MODEL_USAGE}`);
}

/** A bar redrawn in place on a terminal; elsewhere (CI logs, pipes) one line per finished stage. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (stage: string, done: number, total: number) => void {
  let last = '';
  return (stage, done, total) => {
    const label = ({ features: 'features', train: 'training', refit: 'refit on all' } as Record<string, string>)[stage] ?? stage;
    if (stream.isTTY) {
      const width = 30;
      const full = Math.round((width * done) / total);
      stream.write(`\r${label.padEnd(13)} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total}${done === total ? '\n' : ''}`);
    } else if (done === total && last !== stage) stream.write(`${label}: ${done}/${total} done\n`);
    if (done === total) last = stage;
  };
}

export async function trainCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      label: { type: 'string' },
      out: { type: 'string' },
      'text-field': { type: 'string', default: 'text' },
      seed: { type: 'string', default: '1' },
      bits: { type: 'string', default: String(DEFAULT_FEATURES.bits) },
      'class-weight': { type: 'string', default: 'balanced' },
    },
  });
  required(values, ['input', 'label', 'out']);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
  const bits = Number(values.bits);
  if (!Number.isInteger(bits) || bits < 16 || bits > 22) throw new Error(`--bits must be an integer from 16 to 22, not ${values.bits}`);
  const classWeight = values['class-weight'];
  if (classWeight !== 'balanced' && classWeight !== 'none') throw new Error(`--class-weight must be balanced or none, not ${classWeight}`);
  const t0 = performance.now();
  const rows = await readLabelled(values.input as string, { textField: values['text-field'], labelField: values.label as string });
  err(`read ${rows.length} labelled texts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const model = trainModel(rows, { seed, classWeight, features: { bits }, onProgress: progressBar() });
  const bytes = await saveModel(model, values.out as string);
  const sizes = Object.entries(model.info.classSizes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out(`classes (${sizes.length}):`);
  for (const [label, n] of sizes) out(`  ${label.padEnd(24)} ${String(n).padStart(7)}`);
  const h = model.info.heldOut;
  out(
    h
      ? `held-out ${h.report.n} texts: accuracy ${pct(h.report.accuracy)}, macro-F1 ${h.report.macroF1.toFixed(4)}, calibration error ${h.ece.toFixed(3)} (uncalibrated ${h.eceRaw.toFixed(3)})`
      : `held-out: none (fewer than 100 examples: every example was used for training)`,
  );
  out(`trained on ${rows.length} texts in ${model.info.trainSeconds.toFixed(1)} s; model ${values.out} (${(bytes / 1e6).toFixed(1)} MB)`);
}

export async function triageCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      input: { type: 'string' },
      'text-field': { type: 'string', default: 'text' },
      city: { type: 'string', default: process.env.QALA_CITY_DIR ?? 'config/cities/astana' },
      threads: { type: 'string' },
    },
  });
  required(values, ['model', 'input']);
  const { defaultThreads } = await import('../pool.js');
  const threads = values.threads === undefined ? defaultThreads() : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256)
    throw new Error(`--threads must be an integer from 1 to 256, not ${values.threads}`);
  const { loadCity } = await import('../../config/load.js');
  const { triageStream } = await import('../offline-stream.js');
  // `qala triage … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : err(`qala: ${e.message}`)));
  const file = values.model as string;
  const model = await loadModel(file);
  const n = await triageStream(
    readTexts(values.input as string, { textField: values['text-field'] }),
    { city: await loadCity(values.city as string), model, modelBytes: await readFile(file), modelName: file, threads },
    async (block) => {
      if (!process.stdout.write(block)) await new Promise((r) => process.stdout.once('drain', r));
    },
  );
  err(`triaged ${n} texts`);
}

export async function evalCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      input: { type: 'string' },
      label: { type: 'string' },
      'text-field': { type: 'string', default: 'text' },
    },
  });
  required(values, ['model', 'input', 'label']);
  const model = await loadModel(values.model as string);
  const rows = await readLabelled(values.input as string, { textField: values['text-field'], labelField: values.label as string });
  if (rows.length === 0) throw new Error(`no labelled texts in ${values.input}`);
  const t0 = performance.now();
  const predicted = rows.map((r) => predict(model, r.text, 5).label);
  const seconds = (performance.now() - t0) / 1000;
  printReport(
    report(
      rows.map((r) => r.label),
      predicted,
    ),
  );
  out(`speed: ${Math.round(rows.length / seconds)} texts/s (${rows.length} texts in ${seconds.toFixed(2)} s, one process, with explanations)`);
  const unknown = new Set(rows.map((r) => r.label).filter((l) => !model.labels.includes(l)));
  if (unknown.size) err(`labels the model never learnt: ${[...unknown].join(', ')}`);
}

export function printReport(r: Report): void {
  out(`texts: ${r.n}   accuracy: ${pct(r.accuracy)}   macro-F1: ${r.macroF1.toFixed(4)}`);
  out(`${'class'.padEnd(24)} ${'support'.padStart(8)} ${'precision'.padStart(10)} ${'recall'.padStart(8)} ${'F1'.padStart(8)}`);
  for (const c of r.classes)
    out(
      `${c.label.padEnd(24)} ${String(c.support).padStart(8)} ${c.precision.toFixed(3).padStart(10)} ${c.recall.toFixed(3).padStart(8)} ${c.f1.toFixed(3).padStart(8)}`,
    );
  if (r.confusions.length) out('worst confusions (truth → predicted):');
  for (const c of r.confusions) out(`  ${c.truth} → ${c.predicted}: ${c.count}`);
}
