// Reading histories: RFC 4180 CSV (quotes, line breaks in fields, BOM, CRLF), JSONL, bad rows reported by line,
// and stratified splits that keep each class's share and repeat for one seed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvParser, readLabelled, readTexts } from './dataset.js';
import { stratifiedSplit } from './random.js';

const dir = mkdtempSync(join(tmpdir(), 'qala-data-'));
function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function collect(path: string, labelField?: string) {
  const bad: [number, string][] = [];
  const rows = [];
  for await (const t of readTexts(path, { labelField, onBad: (l, r) => bad.push([l, r]) })) rows.push(t);
  return { rows, bad };
}

describe('CSV', () => {
  it('reads quotes, doubled quotes, line breaks inside fields, a BOM and CRLF, and reports a bad row', async () => {
    const csv =
      '\uFEFFid,text,category\r\n' +
      '1,"Нет воды, третий день",water\r\n' +
      '2,"Он сказал ""срочно""\r\nи ушёл",power\r\n' +
      '3,too,many,fields\r\n' +
      '4,Су жоқ,water\r\n' +
      '\r\n' +
      '5,"",road\r\n' +
      '6,no label,\r\n';
    const { rows, bad } = await collect(file('h.csv', csv), 'category');
    expect(rows.map((r) => [r.id, r.text, r.label, r.line])).toEqual([
      ['1', 'Нет воды, третий день', 'water', 2],
      ['2', 'Он сказал "срочно"\r\nи ушёл', 'power', 3],
      ['4', 'Су жоқ', 'water', 6],
      ['5', '', 'road', 8],
    ]);
    expect(bad).toEqual([
      [5, 'expected 3 fields, found 4'],
      [9, 'no label in field "category"'],
    ]);
  });

  it('reports an unclosed quote and text after a closing quote, and carries on', async () => {
    const { rows, bad } = await collect(file('q.csv', 'text\n"ok"\n"bad"x\nfine\n"never closed\nmore'));
    expect(rows.map((r) => r.text)).toEqual(['ok', 'fine']);
    expect(bad).toEqual([
      [3, 'text after a closing quote'],
      [5, 'a quoted field is never closed'],
    ]);
  });

  it('parses the same whatever the chunk boundaries', () => {
    const text = 'a,b\n"x\n""y""",2\nz,3\n';
    const whole: unknown[] = [];
    const p1 = csvParser((line, f) => whole.push([line, f]));
    p1.write(text);
    p1.close();
    const split: unknown[] = [];
    const p2 = csvParser((line, f) => split.push([line, f]));
    for (const ch of text) p2.write(ch);
    p2.close();
    expect(split).toEqual(whole);
    expect(whole).toEqual([
      [1, ['a', 'b']],
      [2, ['x\n"y"', '2']],
      [4, ['z', '3']],
    ]);
  });

  it('fails once, clearly, when the text column is missing', async () => {
    await expect(collect(file('m.csv', 'body,label\nx,y\n'), 'label')).rejects.toThrow(/no column "text" \(columns: body, label\)/);
  });
});

describe('JSONL', () => {
  it('reads objects, numbers as text, and reports broken lines with their numbers', async () => {
    const jsonl = '\uFEFF{"id":"a","text":"нет света","label":"power"}\n\nnot json\n[1,2]\n{"text":null,"label":"x"}\n{"text":"x","label":3}\n';
    const { rows, bad } = await collect(file('h.jsonl', jsonl), 'label');
    expect(rows.map((r) => [r.id, r.text, r.label])).toEqual([
      ['a', 'нет света', 'power'],
      [6, 'x', '3'],
    ]);
    expect(bad.map((b) => b[0])).toEqual([3, 4, 5]);
    expect(bad[2]![1]).toBe('field "text" is not text');
  });

  it('refuses a file it cannot tell the format of', async () => {
    await expect(readLabelled(file('h.txt', 'x'), { labelField: 'l' })).rejects.toThrow(/\.csv or \.jsonl/);
  });
});

describe('stratified split', () => {
  const labels = [...Array<string>(90).fill('a'), ...Array<string>(10).fill('b'), 'c', 'c'];
  it('keeps each class share on both sides, disjoint and complete', () => {
    const { train, test } = stratifiedSplit(labels, 0.2, 1);
    expect(test.filter((i) => labels[i] === 'a')).toHaveLength(18);
    expect(test.filter((i) => labels[i] === 'b')).toHaveLength(2);
    expect(test.filter((i) => labels[i] === 'c')).toHaveLength(1);
    expect(new Set([...train, ...test]).size).toBe(labels.length);
  });

  it('repeats for one seed and changes with another', () => {
    expect(stratifiedSplit(labels, 0.2, 1)).toEqual(stratifiedSplit(labels, 0.2, 1));
    expect(stratifiedSplit(labels, 0.2, 2).test).not.toEqual(stratifiedSplit(labels, 0.2, 1).test);
  });
});
