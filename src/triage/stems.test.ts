import { describe, expect, it } from 'vitest';
import { KeywordLists, StemIndex } from './stems.js';

const tok = (s: string) => s.toLowerCase().split(/\s+/).filter(Boolean);
const index = new StemIndex(['нет горяч вод', 'горяч', 'лифт', 'су жоқ', 'gas leak', 'свет'], tok);
const scan = (t: string) => [...index.scan(tok(t))].sort();

describe('stem index', () => {
  it('matches single stems at the start of words only', () => {
    expect(scan('Лифты не работают')).toEqual(['лифт']);
    expect(scan('Светофор сломан')).toEqual(['свет']);
    expect(scan('освещение')).toEqual([]);
  });

  it('matches phrases word by word, each word by its stem, in order', () => {
    expect(scan('Нет горячей воды три дня')).toEqual(['горяч', 'нет горяч вод']);
    expect(scan('горячей нет воды')).toEqual(['горяч']);
    expect(scan('Үйде су жоқ')).toEqual(['су жоқ']);
    expect(scan('There is a gas leakage')).toEqual(['gas leak']);
  });

  it('handles empty input and a long text', () => {
    expect(scan('')).toEqual([]);
    expect(index.scan(tok('лифт '.repeat(10_000))).size).toBe(1);
  });
});

describe('keyword lists', () => {
  const lists = [['нет воды', 'вод', 'кран'], ['идея', 'вод', 'идея'], [], ['газ']];
  const byLists = new KeywordLists(lists);
  it.each([[[]], [['вод']], [['идея', 'газ']], [['кран', 'нет воды', 'вод', 'идея']], [['нечто']]])(
    'give each list its hits in its own order (%j)',
    (found) => {
      const set = new Set(found);
      const want = lists.map((l) => {
        const hits = l.filter((k) => set.has(k));
        return hits.length ? hits : undefined;
      });
      expect(byLists.hits(set)).toEqual(want);
    },
  );

  it('answers the same for a word seen before', () => {
    expect(scan('Лифт стоит, лифтёр не пришёл')).toEqual(['лифт']);
    expect(scan('лифт')).toEqual(['лифт']);
  });
});
