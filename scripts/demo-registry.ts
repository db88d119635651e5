// `npx tsx scripts/demo-registry.ts [--city config/cities/astana] [--out buildings.csv]`
// Writes the DEMO building registry: 1,372 FICTIONAL housing companies (ОСИ / КСК "Демо-…", marked "(демо)") and a
// handful of FICTIONAL lift companies serving buildings on the REAL street names of the city's gazetteer
// (triage.yaml `streets`). Which company serves which house is invented: nothing here describes a real building.
// Deterministic: the same gazetteer gives the same bytes (a fixed seed, no clock).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const { values } = parseArgs({
  options: { city: { type: 'string', default: 'config/cities/astana' }, out: { type: 'string', default: 'buildings.csv' } },
});
const cityDir = values.city as string;

/** The real city has 1,372 housing organisations (iKomek 109, 2024): the demo has as many, all fictional. */
const HOUSING_COMPANIES = 1372;

// mulberry32: a small seeded generator, so the file is the same on every run.
let seed = 109;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

// Words for fictional names, in Kazakh (Cyrillic) and a Latin spelling for English.
const WORDS: [string, string][] = [
  ['Береке', 'Bereke'],
  ['Жұлдыз', 'Zhuldyz'],
  ['Нұрлы Үй', 'Nurly Uy'],
  ['Шаңырақ', 'Shanyraq'],
  ['Самал', 'Samal'],
  ['Арман', 'Arman'],
  ['Шуақ', 'Shuaq'],
  ['Мереке', 'Mereke'],
  ['Алтын Үй', 'Altyn Uy'],
  ['Бірлік', 'Birlik'],
  ['Ырыс', 'Yrys'],
  ['Күншуақ', 'Kunshuaq'],
  ['Көктем', 'Koktem'],
  ['Ақниет', 'Aqniet'],
  ['Бақыт', 'Baqyt'],
  ['Жайлы Үй', 'Zhaily Uy'],
  ['Таң', 'Tan'],
  ['Мейірім', 'Meyirim'],
  ['Ынтымақ', 'Yntymaq'],
  ['Сәуле', 'Saule'],
];

// Lift companies: the three organisations.yaml already has (named there), and five more named here.
const LIFTS: { id: string; ru?: string; kk?: string; en?: string }[] = [
  { id: 'demo-lift-servis' },
  { id: 'demo-biik-lift' },
  { id: 'demo-elevator-kz' },
  ...['Алтын', 'Қанат', 'Сенім', 'Өрлеу', 'Тірек'].map((w, i) => {
    const latin = ['Altyn', 'Qanat', 'Senim', 'Orleu', 'Tirek'][i] as string;
    return {
      id: `demo-lift-${latin.toLowerCase()}`,
      ru: `ТОО «Демо Лифт ${w}» (демо)`,
      kk: `«Демо Лифт ${w}» ЖШС (демо)`,
      en: `Demo Lift ${latin} LLP (demo)`,
    };
  }),
];

const triage = parse(readFileSync(join(cityDir, 'triage.yaml'), 'utf8')) as { streets: { names: string[] }[] };
// Streets with homes: not the intercity highway.
const streets = triage.streets.map((s) => s.names[0] as string).filter((n) => !/трасс/i.test(n));

interface Building {
  street: string;
  house: string;
}
const buildings: Building[] = [];
for (const street of streets) {
  // Every street has houses 1…41 at least (so "Кенесары, 40" exists), and some corpus buildings ("12/1") and
  // lettered ones ("7а") between them.
  const last = between(41, 56);
  for (let n = 1; n <= last; n++) {
    if (n !== 40 && random() < 0.2) continue; // a gap: a park, a school, a plot
    buildings.push({ street, house: String(n) });
    if (random() < 0.05) buildings.push({ street, house: `${n}/1` });
    if (random() < 0.03) buildings.push({ street, house: `${n}а` });
  }
}

// Housing companies serve runs of neighbouring buildings: cut the list into exactly HOUSING_COMPANIES runs.
const cuts = new Set<number>();
while (cuts.size < HOUSING_COMPANIES - 1) cuts.add(between(1, buildings.length - 1));
const starts = [0, ...[...cuts].sort((a, b) => a - b)];

const csv = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const lines = ['street,house,service,organisation,name_ru,name_kk,name_en'];
starts.forEach((start, i) => {
  const end = starts[i + 1] ?? buildings.length;
  const number = i + 1;
  const id = `demo-hc-${String(number).padStart(4, '0')}`;
  const [kk, latin] = WORDS[i % WORDS.length] as [string, string];
  const n = Math.floor(i / WORDS.length) + 1;
  const osi = random() < 0.7; // most are ОСИ (МИБ) since the 2020 housing reform; the rest older КСК (ПИК)
  const names = osi
    ? [`ОСИ «Демо-${kk} ${n}» (демо)`, `«Демо-${kk} ${n}» МИБ (демо)`, `Demo-${latin} ${n} OSI (demo)`]
    : [`КСК «Демо-${kk} ${n}» (демо)`, `«Демо-${kk} ${n}» ПИК (демо)`, `Demo-${latin} ${n} KSK (demo)`];
  for (let b = start; b < end; b++) {
    const { street, house } = buildings[b] as Building;
    lines.push([street, house, 'housing', id, ...(b === start ? names : ['', '', ''])].map(csv).join(','));
  }
});

// Lifts: about two in five buildings (the taller ones), each street served in stretches by one lift company.
const named = new Set<string>();
let lift = 0;
let stretch = 0;
for (const { street, house } of buildings) {
  if (stretch-- <= 0) {
    lift = between(0, LIFTS.length - 1);
    stretch = between(10, 30);
  }
  if (house !== '40' && random() < 0.6) continue;
  const l = LIFTS[lift] as (typeof LIFTS)[number];
  const names = l.ru && !named.has(l.id) ? [l.ru, l.kk as string, l.en as string] : ['', '', ''];
  named.add(l.id);
  lines.push([street, house, 'lift', l.id, ...names].map(csv).join(','));
}

const out = join(cityDir, values.out as string);
writeFileSync(out, `${lines.join('\n')}\n`);
process.stdout.write(
  `${out}: ${buildings.length} buildings on ${streets.length} streets, ${HOUSING_COMPANIES} housing companies, ${lines.length - 1} rows\n`,
);
