import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadCity } from '../config/load.js';
import { houseKey, StreetKeys } from './address.js';
import { buildRegistry, readCsvRecords } from './registry.js';

const streets = new StreetKeys([
  { names: ['Кенесары', 'Kenesary'] },
  { names: ['проспект Жеңіс', 'проспект Женис', 'проспект Победы'] },
  { names: ['Әл-Фараби', 'Аль-Фараби', 'Al-Farabi'] },
]);

const HEADER = 'street,house,service,organisation,name_ru,name_kk,name_en,kind,parent';
const parse = (csv: string, configured: string[] = ['dept-housing']) => {
  const { records, problems } = readCsvRecords(csv);
  const r = buildRegistry(
    records,
    { streets, configured: new Set(configured), defaultParent: 'dept-housing', kinds: { housing: 'housing' } },
    'b.csv',
  );
  return { ...r, problems: [...problems, ...r.problems] };
};

describe('reading an address the way residents write it', () => {
  it.each([
    ['ул. Кенесары 40', 'Кенесары', '40'],
    ['Кенесары көшесі 40', 'Кенесары', '40'],
    ['Кенесары, 40', 'Кенесары', '40'],
    ['Kenesary 40', 'Кенесары', '40'],
    ['пр. Победы, д. 5 А', 'проспект Жеңіс', '5А'],
    ['Аль-Фараби 12/1', 'Әл-Фараби', '12/1'],
  ])('%s → %s, %s', (text, street, house) => {
    const p = streets.place(text);
    expect(p).toMatchObject({ street, house });
    expect(p?.streetKey).toBe(streets.street(street).key);
  });

  it('keeps an unknown street as written, without its type word, and its house as the last number', () => {
    expect(streets.place('ул. Бейбарыс султан, д. 7')).toMatchObject({ street: 'ул. Бейбарыс султан', streetKey: 'бейбарыс султан', house: '7' });
    expect(streets.street('Бейбарыс Султан көшесі')).toMatchObject({ key: 'бейбарыс султан', known: false });
    expect(streets.place('')).toBeNull();
    expect(streets.place('12')).toBeNull();
  });

  it('takes a registry street as the gazetteer street only when the whole name is that street', () => {
    expect(streets.street('ул. Кенесары')).toMatchObject({ street: 'Кенесары', known: true });
    expect(streets.street('Хана Кенесары')).toMatchObject({ known: false });
  });

  it('treats 5а, 5 А, 5-a (Latin) and 12\\1 as the registry does', () => {
    expect(new Set(['5а', '5 А', '5-a', '5A'].map(houseKey))).toEqual(new Set(['5а']));
    expect(houseKey('12\\1')).toBe('12/1');
  });
});

describe('the registry file', () => {
  it('adds the organisations it names, with the default parent and the kind of their service, named once', () => {
    const r = parse(`${HEADER}
Кенесары,40,housing,osi-1,ОСИ «Один» (демо),«Бір» МИБ (демо),,,
"ул. Кенесары",42,housing,osi-1,,,,,
Кенесары,40,lift,lift-1,ТОО «Лифт»,«Лифт» ЖШС,Lift LLP,lift_company,osi-1
Кенесары,40,housing,osi-1,,,,,
Кенесары,44,housing,dept-housing,,,,,`);
    expect(r.problems).toEqual([]);
    expect(r.organisations).toEqual([
      {
        id: 'osi-1',
        parent: 'dept-housing',
        kind: 'housing',
        name: { ru: 'ОСИ «Один» (демо)', kk: '«Бір» МИБ (демо)', en: 'ОСИ «Один» (демо)' },
        demo: true,
        line: 2,
      },
      { id: 'lift-1', parent: 'osi-1', kind: 'lift_company', name: { ru: 'ТОО «Лифт»', kk: '«Лифт» ЖШС', en: 'Lift LLP' }, demo: false, line: 4 },
    ]);
    expect(r.rows).toHaveLength(4); // the repeated line 5 adds nothing
    const key = streets.street('Кенесары').key;
    expect(r.registry.find(key, '42', 'housing')).toEqual({ organisation: 'osi-1', line: 3 });
    expect(r.registry.find(key, '40', 'lift')?.organisation).toBe('lift-1');
    expect(r.registry.find(key, '40', 'gas')).toBeUndefined();
    expect([...r.registry.services]).toEqual([
      ['housing', 3],
      ['lift', 1],
    ]);
  });

  it('reports every bad line with its number and keeps the good ones', () => {
    const r = parse(`${HEADER}
Кенесары,40,housing,osi-1,ОСИ «Один»,«Бір» МИБ,,,
Кенесары,сорок,housing,osi-1,,,,,
Кенесары,41,Housing!,osi-1,,,,,
Кенесары,42,housing,osi-2,,,,,
Кенесары,43,housing,osi-3,Имя,Аты,,boss,
Kenesary,40,housing,osi-4,Имя,Аты,,,
Кенесары,44,housing,osi-1,ОСИ «Другое»,,,,
,45,housing,osi-1,,,,,
Кенесары,46,housing,osi-5,Имя,Аты,,,nobody
Кенесары,47,housing
Кенесары,48,housing,osi-1,,,,,`);
    expect(r.problems.map((p) => p.line).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const says = Object.fromEntries(r.problems.map((p) => [p.line, p.message]));
    expect(says[3]).toMatch(/house "сорок" is not a house number/);
    expect(says[4]).toMatch(/service "Housing!"/);
    expect(says[5]).toMatch(/osi-2 appears for the first time without its name_ru and name_kk/);
    expect(says[6]).toMatch(/kind "boss"/);
    expect(says[7]).toBe('Кенесары, 40 (housing) is already served by osi-1 (line 2)');
    expect(says[8]).toMatch(/named differently than on line 2/);
    expect(says[9]).toBe('no street');
    expect(says[10]).toBe('organisation osi-5 has unknown parent nobody');
    expect(says[11]).toBe('expected 9 fields, found 3');
    expect(r.rows.map((x) => x.house)).toEqual(['40', '46', '48']);
  });

  it('refuses a parent chain that comes back to itself', () => {
    const r = parse(`${HEADER}
Кенесары,1,housing,a,А,А,,,b
Кенесары,2,housing,b,Б,Б,,,a`);
    expect(r.problems.map((p) => p.message)).toEqual([
      'organisation a is its own ancestor (through a)',
      'organisation b is its own ancestor (through b)',
    ]);
  });

  it('holds 20,000 buildings and finds any of them by its address', () => {
    const lines = [HEADER];
    for (let i = 1; i <= 20_000; i++) lines.push(`Кенесары,${i},housing,osi-${i % 1372},${i < 1373 ? `ОСИ ${i},МИБ ${i}` : ','},,,`);
    const r = parse(lines.join('\n'));
    expect(r.problems).toEqual([]);
    expect(r.registry.size).toBe(20_000);
    const key = streets.street('Кенесары').key;
    expect(r.registry.find(key, '19999', 'housing')?.organisation).toBe(`osi-${19_999 % 1372}`);
  });
});

describe('the configured registry at start and from the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qala-registry-'));
    await cp('config/cities/astana', dir, { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads the demo registry: 1,372 fictional housing companies under the housing department', async () => {
    const city = await loadCity('config/cities/astana');
    const housing = city.organisations.filter((o) => o.kind === 'housing');
    expect(housing).toHaveLength(1372);
    for (const o of housing) expect(o).toMatchObject({ parent: 'dept-housing', demo: true });
    expect(housing.every((o) => /\(демо\)/.test(o.name.ru) && /\(демо\)/.test(o.name.kk))).toBe(true);
    expect(city.registry.find(streets.street('Кенесары').key, '40', 'housing')?.organisation).toMatch(/^demo-hc-\d{4}$/);
    expect([...city.registry.streets.values()].every(Boolean)).toBe(true); // every demo street is in the gazetteer
  });

  it('refuses to start on a broken registry, naming the file and the lines', async () => {
    const file = join(dir, 'buildings.csv');
    const good = await readFile(file, 'utf8');
    await writeFile(file, `${good}Кенесары,сорок,housing,demo-hc-0001,,,\nКенесары,1,lift,nobody-lift,,,\n`);
    const lines = good.trimEnd().split('\n').length;
    const err = await loadCity(dir).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(`buildings.csv line ${lines + 1}: house "сорок" is not a house number`);
    expect(err.message).toContain(`buildings.csv line ${lines + 2}: organisation nobody-lift appears for the first time`);
    await writeFile(file, good);
  });

  it('imports a city export: maps its columns, reads one address column, reports bad lines and writes the normalised file', async () => {
    const input = join(dir, 'export.csv');
    const out = join(dir, 'imported.csv');
    await writeFile(
      input,
      [
        'Адрес,Организация,Атауы,Код',
        '"ул. Кенесары, 40",КСК «Тест»,«Тест» ПИК,test-ksk',
        'Кенесары көшесі 38,,,test-ksk',
        'без адреса,КСК «Тест»,«Тест» ПИК,test-ksk',
        '"пр. Победы, д. 5а",ОСИ «Два»,«Екі» МИБ,test-osi',
      ].join('\n'),
    );
    const run = promisify(execFile);
    const map = ['Адрес=address', 'Организация=name_ru', 'Атауы=name_kk', 'Код=organisation'].flatMap((m) => ['--map', m]);
    const r = await run('node', [
      'bin/qala.mjs',
      'registry',
      'import',
      '--input',
      input,
      ...map,
      '--service',
      'housing',
      '--out',
      out,
      '--city',
      dir,
    ]);
    expect(r.stderr).toBe('line 4: skipped, address "без адреса" has no street and house number\n');
    expect(r.stdout).toContain('wrote 3 buildings × services');
    expect((await readFile(out, 'utf8')).split('\n')).toEqual([
      'street,house,service,organisation,name_ru,name_kk,name_en,kind,parent',
      'Кенесары,38,housing,test-ksk,КСК «Тест»,«Тест» ПИК,,housing,dept-housing',
      'Кенесары,40,housing,test-ksk,,,,,',
      'проспект Жеңіс,5а,housing,test-osi,ОСИ «Два»,«Екі» МИБ,,housing,dept-housing',
      '',
    ]);
    const check = await run('node', ['bin/qala.mjs', 'registry', 'check', '--city', dir]);
    expect(check.stdout).toMatch(/buildings × services: \d+ \(housing \d+, lift \d+\)/);
    expect(check.stdout).toContain('housing 1372');
  }, 60_000);
});
