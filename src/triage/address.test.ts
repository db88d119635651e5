import { describe, expect, it } from 'vitest';
import { AddressFinder, ODD_CASE, publicAddress } from './address.js';

const finder = new AddressFinder(
  [
    { names: ['Кенесары', 'Kenesary'], district: 'saryarka' },
    { names: ['Мәңгілік Ел', 'Мангилик Ел', 'Mangilik El'] },
    { names: ['Тұран', 'Туран', 'Turan'], district: 'nura' },
    { names: ['проспект Абая', 'Абай даңғыл', 'Abay avenue'] },
    { names: ['проспект Жеңіс', 'проспект Женис', 'проспект Победы'] },
    { names: ['Сығанақ', 'Сыганак', 'Syganak'], district: 'esil' },
  ],
  [{ names: ['Коктал', 'Көктал'], district: 'saryarka' }],
);

describe('finding the address in free text', () => {
  it.each([
    ['На улице Кенесары 40 нет воды', 'Кенесары', '40', null],
    ['Кенесары көшесінде 40 үйде жарық жоқ', 'Кенесары', '40', null],
    ['пр. Мангилик Ел 55, кв. 12 — нет отопления', 'Мәңгілік Ел', '55', '12'],
    ['Туран 37, 12 пәтер, су жоқ', 'Тұран', '37', '12'],
    ['на проспекте Абая д. 10/2 яма', 'проспект Абая', '10/2', null],
    ['Абай даңғылы, 15а үй', 'проспект Абая', '15а', null],
    ['ул. Сыганак, дом 10', 'Сығанақ', '10', null],
    ['Pothole on Kenesary street 12', 'Кенесары', '12', null],
    ['Streetlight broken at 12 Kenesary street', 'Кенесары', '12', null],
    ['В Сыганаке нет воды', 'Сығанақ', null, null],
  ])('%s', (text, street, house, flat) => {
    const a = finder.find(text);
    expect(a?.street).toBe(street);
    expect(a?.house).toBe(house);
    expect(a?.flat).toBe(flat);
  });

  it('recognises a former name and says which one was used', () => {
    const a = finder.find('Яма на проспекте Победы 3');
    expect(a?.street).toBe('проспект Жеңіс');
    expect(a?.matchedName).toMatch(/Победы/);
  });

  it('finds a residential area and its district', () => {
    const a = finder.find('В Коктале нет света второй день');
    expect(a?.area).toBe('Коктал');
    expect(a?.district).toBe('saryarka');
  });

  it('gives the street district from the gazetteer', () => {
    expect(finder.find('Туран 37')?.district).toBe('nura');
  });

  it('does not take a word that merely starts like a street', () => {
    expect(finder.find('Кенесарыев пришёл')).toBeNull();
    expect(finder.find('Просто текст без адреса')).toBeNull();
  });

  it('publishes street and house but never the flat', () => {
    const a = finder.find('пр. Мангилик Ел 55, кв. 12');
    expect(a && publicAddress(a)).toBe('Мәңгілік Ел, 55');
  });

  it('survives empty, huge and junk input', () => {
    expect(finder.find('')).toBeNull();
    expect(finder.find('а'.repeat(50_000))).toBeNull();
    expect(finder.find('\u0000\uFFFD\u0001'.repeat(1000))).toBeNull();
  });
});

describe('the word index finds what the whole pattern finds', () => {
  const streets = [
    { names: ['Кенесары', 'Kenesary'], district: 'saryarka' },
    { names: ['Мәңгілік Ел', 'Мангилик Ел', 'Mangilik El'] },
    { names: ['Тұран', 'Туран', 'Turan'], district: 'nura' },
    { names: ['проспект Абая', 'Абай даңғыл', 'Abay avenue'] },
    { names: ['проспект Жеңіс', 'проспект Женис', 'проспект Победы'] },
    { names: ['Әл-Фараби', 'Аль-Фараби', 'Al-Farabi'] },
    { names: ['Гумилёва', 'Гумилева'] },
    { names: ['Керей', 'Жәнібек хандар'] },
    { names: ['Ұлы Дала', 'Улы Дала'] },
    { names: ['Дала'] },
  ];
  const areas = [{ names: ['Коктал', 'Көктал'], district: 'saryarka' }];
  const indexed = new AddressFinder(streets, areas);
  const whole = new AddressFinder(streets, areas, { index: false });
  const pieces = [
    ...streets.flatMap((s) => s.names),
    'Коктал',
    'кенесары',
    'КЕНЕСАРЫ',
    'Кенесарыев',
    'Кенесаре',
    'Кенесарының',
    'Тұранда',
    'Турана',
    'Гумилёве',
    'ГУМИЛЕВА',
    'Улы',
    'Дала',
    'керек',
    'ал',
    'ул.',
    'ул',
    'улица',
    'улице',
    'пр.',
    'пр-т',
    'проспекте',
    'б-р',
    'street',
    'st.',
    'көшесі',
    'даңғылы',
    'дом',
    'д.',
    'үй',
    'кв.',
    'пәтер',
    '№',
    '12',
    '40',
    '5а',
    '12a',
    '10/2',
    '7-б',
    '123456',
    ' ',
    ' ',
    '  ',
    '\n',
    '\t',
    '\u00a0',
    ',',
    '.',
    '-',
    '–',
    '(',
    ')',
    '"',
    '«',
    '»',
    '/',
    'ſ',
    'İ',
    '\u0345',
    'ᲀ',
    '😡',
    '𝐊',
    'ё',
    'Ё',
    'x',
    'Я',
    '1',
  ];
  it.each([1, 2, 3])('on generated texts (seed %i)', (seed) => {
    let x = seed;
    const next = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const k = 1 + Math.floor(next() * 8);
      for (let i = 0; i < k; i++) text += pieces[Math.floor(next() * pieces.length)] + (next() < 0.6 ? ' ' : '');
      expect(indexed.find(text), text).toEqual(whole.find(text));
    }
  });

  it('compares case as the pattern does, apart from the characters it sends to the whole pattern', () => {
    // For every letter a name here can hold: the characters /x/iu matches are those with the same lower case.
    let all = '';
    for (let c = 0; c < 0x10000; c++) all += c >= 0xd800 && c <= 0xdfff ? ' ' : String.fromCharCode(c);
    const letters = new Set([...streets, ...areas].flatMap((s) => s.names.flatMap((n) => [...n.toLowerCase(), ...n.toUpperCase()])));
    for (const letter of letters) {
      if (letter === ' ') continue;
      const esc = `\\u{${(letter.codePointAt(0) as number).toString(16)}}`;
      for (const m of all.matchAll(new RegExp(`[${esc}]`, 'giu'))) {
        if (ODD_CASE.test(m[0])) continue;
        expect(m[0].toLowerCase(), `${letter} ~ U+${m.index.toString(16)}`).toBe(letter.toLowerCase());
      }
    }
  });

  it('survives HTML, a long text and junk, and still finds the street', () => {
    expect(finder.find('<p>ул.&nbsp;<b>Кенесары</b> 40</p>')?.street).toBe('Кенесары');
    expect(finder.find(`${'слово '.repeat(3_000)}на улице Кенесары 40`)?.house).toBe('40');
    // Only the first 20,000 characters are read.
    expect(finder.find(`${'слово '.repeat(8_000)}на улице Кенесары 40`)).toBeNull();
    expect(finder.find(`${'\u0000'.repeat(10_000)}${String.fromCharCode(0xd800)}Кенесары 5`)?.house).toBe('5');
  });
});

describe('house numbers and Latin Kazakh street words', () => {
  it.each([
    ['Kenesary koshesi 40 su joq', '40'],
    ['Kenesary köshesi 12', '12'],
    ['Кенесары, 40 с 7 утра нет воды', '40'],
    ['ул. Кенесары 5а', '5а'],
    ['Кенесары 5 а, кв 3', '5а'],
    ['Кенесары 12/1', '12/1'],
  ])('%s → house %s', async (text, house) => {
    const { loadCity } = await import('../config/load.js');
    const c = await loadCity('config/cities/astana');
    const f = new AddressFinder(c.triage.streets, c.triage.areas);
    expect(f.find(text)?.house).toBe(house);
  });
});
