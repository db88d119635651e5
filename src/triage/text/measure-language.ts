// Measures language ID on the shared data sets: KZgovData (parallel kk/ru appeals, synthetic) and KazSAnDRA
// (real Kazakh reviews, often code-switched, so "mixed" counts as right there). Prints accuracy per source, the
// split of answers, a few misses, and texts per second. Run: npx tsx src/triage/text/measure-language.ts [dataDir]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectLanguage } from './language.js';
import { cyrillicToLatin, foldKazakh } from './translit.js';

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) → rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

function column(rows: string[][], name: string): string[] {
  const at = rows[0]?.indexOf(name) ?? -1;
  if (at < 0) throw new Error(`no column ${name}`);
  return rows
    .slice(1)
    .map((r) => r[at] ?? '')
    .filter((t) => t.trim());
}

interface Report {
  source: string;
  n: number;
  accuracy: number;
  split: Record<string, number>;
  perSecond: number;
  misses: string[];
}

function measure(source: string, texts: string[], accept: string[]): Report {
  const split: Record<string, number> = {};
  const misses: string[] = [];
  let right = 0;
  const start = performance.now();
  for (const t of texts) {
    const r = detectLanguage(t);
    const key = r.language === 'kk' ? `kk-${r.script}` : r.language;
    split[key] = (split[key] ?? 0) + 1;
    if (accept.includes(r.language)) right++;
    else if (misses.length < 8) misses.push(`${r.language} ${r.confidence} | ${t.slice(0, 100)}`);
  }
  const seconds = (performance.now() - start) / 1000;
  return { source, n: texts.length, accuracy: right / texts.length, split, perSecond: Math.round(texts.length / seconds), misses };
}

function main(): void {
  const dir = process.argv[2] ?? join(import.meta.dirname, '../../../../shared/data');
  const gov = parseCsv(readFileSync(join(dir, 'kzgovdata/data.csv'), 'utf8'));
  const sandra = parseCsv(readFileSync(join(dir, 'kazsandra/05_pc_test.csv'), 'utf8'));
  const kazsandra = column(sandra, 'text');
  const kz = column(gov, 'text_kz');
  const ru = column(gov, 'text_ru');
  const reports = [
    measure('kzgovdata text_kz (kk)', kz, ['kk']),
    measure('kzgovdata text_ru (ru)', ru, ['ru']),
    // Derived stress tests: the same texts as residents without a Kazakh keyboard would type them.
    measure('kzgovdata text_kz folded, no Kazakh letters (kk)', kz.map(foldKazakh), ['kk']),
    measure(
      'kzgovdata text_kz in 2021 Latin (kk)',
      kz.map((t) => cyrillicToLatin(t, '2021')),
      ['kk'],
    ),
    measure(
      'kzgovdata text_kz in chat ASCII Latin (kk)',
      kz.map((t) => cyrillicToLatin(t, 'ascii')),
      ['kk'],
    ),
    measure(
      'kzgovdata text_ru in Latin translit (ru)',
      ru.map((t) => cyrillicToLatin(t, 'ascii')),
      ['ru'],
    ),
    measure('kazsandra 05_pc_test (kk or mixed)', kazsandra, ['kk', 'mixed']),
  ];
  // The same reviews again, cold cache excluded: throughput once word evidence is remembered.
  const warm = measure('kazsandra again (warm word cache)', kazsandra, ['kk', 'mixed']);
  for (const r of [...reports, warm]) {
    console.log(`${r.source}: n=${r.n} accuracy=${(r.accuracy * 100).toFixed(1)}% texts/s=${r.perSecond}`);
    console.log(`  split ${JSON.stringify(r.split)}`);
    if (r !== warm) for (const m of r.misses) console.log(`  miss: ${m}`);
  }
}

if (process.argv[1]?.endsWith('measure-language.ts')) main();
