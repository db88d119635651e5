import { describe, expect, it } from 'vitest';
import { AddressFinder, publicAddress } from './address.js';

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
