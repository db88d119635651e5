import { describe, expect, it } from 'vitest';
import { StemIndex } from './stems.js';

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
