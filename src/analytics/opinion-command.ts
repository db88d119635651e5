// `qala opinion`: the opinion estimator outside the server. Reads a question (YAML or JSON: title, keywords,
// examples per stance) and exported messages (JSON lines: text, district, channel, time), finds the relevant ones,
// reads their stance and prints the estimate table (or JSON). District populations come from the city's city.yaml.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { CityFile } from '../config/schema.js';
import { districtNamesOf } from './estimate.js';
import { estimateTable, examplesOf, QuestionSpec, type ReadMessage, summarise, titleOf } from './opinion-run.js';
import { QuestionReader } from './stance.js';

export const OPINION_USAGE = `  opinion --question FILE --input FILE [--format table|json] [--lang ru|kk|en] [--city DIR]
                   share of each stance on a question among exported messages (JSON lines with text, district,
                   channel, time), raw and weighted to the districts' population, with 95% intervals`;

type Row = { text: string; district: string | null; channel: string; time: Date; resident: string | null };

function parseLines(body: string): { rows: Row[]; bad: number } {
  const rows: Row[] = [];
  let bad = 0;
  for (const line of body.split('\n')) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o.text !== 'string' || !o.text.trim()) throw new Error('no text');
      const time = new Date(typeof o.time === 'string' || typeof o.time === 'number' ? o.time : Number.NaN);
      rows.push({
        text: o.text,
        district: typeof o.district === 'string' && o.district ? o.district : null,
        channel: typeof o.channel === 'string' && o.channel ? o.channel : 'unknown',
        time: Number.isNaN(time.getTime()) ? new Date(0) : time,
        resident: typeof o.author === 'string' ? o.author : null,
      });
    } catch {
      bad++;
    }
  }
  return { rows, bad };
}

export async function opinionCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      question: { type: 'string' },
      input: { type: 'string' },
      format: { type: 'string', default: 'table' },
      lang: { type: 'string', default: 'en' },
      city: { type: 'string', default: process.env.QALA_CITY_DIR ?? 'config/cities/astana' },
    },
  });
  if (!values.question || !values.input) throw new Error(`missing --question or --input\n${OPINION_USAGE}`);
  if (values.format !== 'table' && values.format !== 'json') throw new Error(`--format must be table or json, not ${values.format}`);
  const lang = values.lang;
  if (lang !== 'ru' && lang !== 'kk' && lang !== 'en') throw new Error(`--lang must be ru, kk or en, not ${lang}`);
  const checked = QuestionSpec.safeParse(parse(await readFile(values.question, 'utf8')));
  if (!checked.success)
    throw new Error(`${values.question}: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const spec = checked.data;
  const city = CityFile.passthrough().parse(parse(await readFile(join(values.city, 'city.yaml'), 'utf8')));
  const population = Object.fromEntries(city.districts.filter((d) => d.population).map((d) => [d.id, d.population as number]));

  const { rows, bad } = parseLines(await readFile(values.input, 'utf8'));
  const reader = QuestionReader.of(spec.keywords, examplesOf(spec));
  const read: ReadMessage[] = [];
  for (const r of rows) {
    const got = reader.read(r.text);
    if (got) read.push({ ...r, stance: got.stance, score: got.score, confidence: got.confidence });
  }
  const summary = summarise(read, {
    districtPopulation: population,
    districtNames: districtNamesOf(city.districts),
    offsetMinutes: city.utc_offset_minutes,
    ...(spec.channel_weights ? { channelWeights: spec.channel_weights } : {}),
  });
  const title = titleOf(spec.title);
  if (values.format === 'json') {
    process.stdout.write(`${JSON.stringify({ question: title, messages: rows.length, relevant: read.length, skipped: bad, ...summary }, null, 2)}\n`);
    return;
  }
  const head = `${title[lang]}\n${rows.length} messages read, ${read.length} about the question${bad ? `, ${bad} lines skipped` : ''}\n`;
  const trend = summary.trend.map(
    (t) => `  ${t.week}  n=${String(t.n).padStart(3)}  for ${t.shares.for}  against ${t.shares.against}  neutral ${t.shares.neutral}`,
  );
  process.stdout.write(`${head}\n${estimateTable(summary.estimate, lang)}\n\nby week:\n${trend.join('\n')}\n`);
}
