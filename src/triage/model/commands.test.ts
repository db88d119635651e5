// The command line end to end, as a city would run it: train on a CSV, evaluate, triage a JSONL with a bad line.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toyHistory } from './toy.js';

const dir = mkdtempSync(join(tmpdir(), 'qala-cli-'));
// Asynchronous, so the checks after training run side by side: each start of the CLI costs most of a second.
function qala(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/qala.mjs', ...args], { cwd: process.cwd() });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a character split between two chunks of a long output must not turn into two U+FFFD.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('qala train / eval / triage', () => {
  const history = join(dir, 'history.csv');
  const model = join(dir, 'model.qtm');
  writeFileSync(
    history,
    `id,text,category\n${toyHistory(40)
      .map((h, i) => `${i},${csvField(h.text)},${h.label}`)
      .join('\n')}\n7,"broken,row\n`,
  );

  let r: Awaited<ReturnType<typeof qala>>;
  beforeAll(async () => {
    r = await qala('train', '--input', history, '--label', 'category', '--out', model, '--seed', '3', '--bits', '16');
  });

  it('trains, printing classes, held-out figures and time, and reports the bad row on stderr', () => {
    expect(r.stderr).toMatch(/line 122: skipped, a quoted field is never closed/);
    expect(r.stderr).toMatch(/training: 4\/4 done/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/classes \(3\):\n\s+power\s+40/);
    expect(r.stdout).toMatch(/held-out 12 texts: accuracy 100\.0%, macro-F1 1\.0000/);
    expect(r.stdout).toMatch(/trained on 120 texts in [\d.]+ s/);
  });

  it.concurrent('evaluates a labelled file: accuracy, macro-F1, per class, speed', async () => {
    const test = join(dir, 'test.jsonl');
    writeFileSync(
      test,
      `${toyHistory(10, 5)
        .map((h) => JSON.stringify({ text: h.text, category: h.label }))
        .join('\n')}\n`,
    );
    const r = await qala('eval', '--model', model, '--input', test, '--label', 'category');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/texts: 30\s+accuracy: 100\.0%\s+macro-F1: 1\.0000/);
    expect(r.stdout).toMatch(/road\s+10\s+1\.000\s+1\.000\s+1\.000/);
    expect(r.stdout).toMatch(/speed: \d+ texts\/s/);
  });

  it.concurrent('triages one JSON line per input line, echoing id, skipping a bad line with its number', async () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [
        '{"id":"a1","text":"Су жоқ, үшінші күн, Кенесары көшесі 40"}',
        '{oops',
        '{"id":"a3","text":"<p>No electricity</p>"}',
        '{"id":"a4","text":"Кенесары көшесі 40: су жоқ, үшінші күн!"}',
      ].join('\n'),
    );
    const r = await qala('triage', '--model', model, '--input', input);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/line 2: skipped, not valid JSON/);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.label])).toEqual([
      ['a1', 'water'],
      ['a3', 'power'],
      ['a4', 'water'],
    ]);
    expect(lines[0].confidence).toBeGreaterThan(0.5);
    expect(lines[0].explanation.label[0].feature).toMatch(/^(word|chars):/);
    // The city's engine answers the rest: language, kind, urgency, place, and the repeat within the file.
    expect(lines[0]).toMatchObject({ language: 'kk', kind: 'complaint', category: 'WATR', district: 'saryarka', duplicate_of: null });
    expect(lines[0].address).toMatch(/Кенесары/);
    expect(['negative', 'neutral', 'positive']).toContain(lines[0].sentiment);
    expect(['low', 'normal', 'high', 'critical']).toContain(lines[0].urgency);
    expect(lines[1]).toMatchObject({ language: 'en', duplicate_of: null });
    expect(lines[2].duplicate_of).toBe('a1');
    expect(lines[2].explanation.duplicate.textSimilarity).toBeGreaterThan(0.5);
  });

  it.concurrent('takes --threads (the pool itself is tested in offline.test.ts) and refuses a wrong one', async () => {
    const input = join(dir, 'some.jsonl');
    writeFileSync(
      input,
      `${toyHistory(20, 13)
        .map((h, i) => JSON.stringify({ id: i, text: h.text }))
        .join('\n')}\n`,
    );
    const [one, two, bad] = await Promise.all([
      qala('triage', '--model', model, '--input', input, '--threads', '1'),
      qala('triage', '--model', model, '--input', input, '--threads', '2'),
      qala('triage', '--model', model, '--input', input, '--threads', 'many'),
    ]);
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stderr).toMatch(/triaged 60 texts/);
    expect(two.stdout).toBe(one.stdout);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--threads must be an integer from 1 to 256, not many/);
  });

  it.concurrent('fails with a clear message and status 1 on a damaged model, 1 with usage on missing options', async () => {
    const junk = join(dir, 'junk.qtm');
    writeFileSync(junk, 'not a model');
    const [r, m] = await Promise.all([qala('triage', '--model', junk, '--input', history), qala('train', '--input', history)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/junk\.qtm is not a usable Qala triage model/);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/missing --label, --out/);
  });
});
