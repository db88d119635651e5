import { describe, expect, it } from 'vitest';
import { ALL_ENTRIES, scanLexicon } from './scan.js';

const sum = (t: string) => scanLexicon(t).sum;
const cues = (t: string) => scanLexicon(t).cues.map((c) => c.label);

describe('scanLexicon', () => {
  it('holds several hundred entries of every kind', () => {
    const polar = ALL_ENTRIES.filter((e) => e.kind === 'polar' && e.weight !== 0);
    expect(polar.filter((e) => e.weight > 0).length).toBeGreaterThan(150);
    expect(polar.filter((e) => e.weight < 0).length).toBeGreaterThan(250);
    expect(new Set(ALL_ENTRIES.map((e) => e.kind))).toEqual(new Set(['polar', 'negate', 'negateAfter', 'negateBoth', 'intensify', 'contrast']));
  });

  it('finds nothing in a plain request', () => {
    expect(scanLexicon('Прошу сообщить график вывоза мусора по улице Абая')).toEqual({ sum: 0, cues: [] });
  });

  it('matches stems at the start of a word only, and whole words whole', () => {
    expect(sum('Отвратительное отношение')).toBeLessThan(0);
    expect(sum('Рядом открыли супермаркет')).toBe(0); // "супер" is a whole word
    expect(sum('Этот двор отличается от соседнего')).toBe(0); // "отличн*", not "отлич*"
    expect(sum('Масқара! Қоқыс жатыр')).toBeLessThan(0);
    expect(sum('В парке был маскарад')).toBe(0); // Kazakh "масқара" is a whole word
  });

  it('reads Russian negation before a word', () => {
    expect(sum('Лифт не работает')).toBeLessThan(0);
    expect(cues('Лифт не работает')).toContain('не работает');
    expect(sum('Не спасибо за такую уборку')).toBeLessThan(0);
    expect(sum('Не плохо')).toBeGreaterThan(0);
    expect(sum('Не плохо')).toBeLessThan(-sum('Плохо')); // "not bad" is weaker praise than "bad" is blame
    expect(sum('Хорошо')).toBeGreaterThan(0);
    expect(sum('Не очень хорошо')).toBeLessThan(0);
  });

  it('does not carry negation over a comma or past three words', () => {
    expect(sum('Не знаю, спасибо')).toBeGreaterThan(0);
    expect(sum('Не было ни одного дня чтобы хорошо')).toBeGreaterThan(0);
  });

  it('lets "нет" deny a good thing but never cancel a complaint', () => {
    expect(sum('Проблем нет')).toBeGreaterThan(0);
    expect(sum('Нет горячей воды')).toBeLessThan(0);
    expect(sum('Нет горячей воды третий день')).toBeLessThan(sum('Третий день'));
  });

  it('reads Kazakh negation after the word and by verb suffix', () => {
    expect(sum('Жақсы')).toBeGreaterThan(0);
    expect(sum('Жақсы емес')).toBeLessThan(0);
    expect(sum('Су жоқ')).toBeLessThan(0);
    expect(sum('Ешқандай мәселе жоқ')).toBeGreaterThan(0);
    expect(sum('Маған ұнайды')).toBeGreaterThan(0);
    expect(sum('Маған ұнамайды')).toBeLessThan(0);
    expect(cues('Жарық келмейді')).toEqual(['келмейді']);
  });

  it('reads Kazakh in Latin letters, official and chat spellings alike', () => {
    expect(sum('Úlken rahmet!')).toBeGreaterThan(0);
    expect(sum('raqmet, bari jaksy')).toBeGreaterThan(0);
    expect(sum('jol óte nashar')).toBeLessThan(0);
    expect(sum('su joq')).toBeLessThan(0);
    expect(sum('lift istemeidi')).toBeLessThan(0);
  });

  it('folds Kazakh letters typed on a Russian keyboard', () => {
    expect(sum('рахмет, жаксы')).toBe(sum('рахмет, жақсы'));
  });

  it('reads English negation and phrases', () => {
    expect(sum('I am happy')).toBeGreaterThan(0);
    expect(sum('I am not happy')).toBeLessThan(0);
    expect(sum("The lift doesn't work")).toBeLessThan(0);
    expect(sum('Thanks for nothing')).toBeLessThan(0);
    expect(sum('No problem, all good')).toBeGreaterThan(0);
  });

  it('strengthens with intensifiers and weakens with softeners', () => {
    expect(sum('очень плохо')).toBeLessThan(sum('плохо'));
    expect(sum('өте нашар')).toBeLessThan(sum('нашар'));
    expect(sum('немного плохо')).toBeGreaterThan(sum('плохо'));
  });

  it('weighs what follows a contrast word more than what precedes it', () => {
    expect(sum('Хорошо, что ответили, но проблема не решена')).toBeLessThan(0);
    expect(sum('Долго ждали, но всё отлично')).toBeGreaterThan(0);
    expect(sum('Жақсы, бірақ тағы бұзылды')).toBeLessThan(0);
  });

  it('counts durations of a fault as complaints', () => {
    expect(cues('Воды нет уже третий день')).toContain('третий день');
    expect(cues('Лифт стоит вторую неделю')).toContain('вторую неделю');
    expect(sum('Үш күннен бері су жоқ')).toBeLessThan(sum('Су жоқ'));
  });

  it('treats polite formulas as neutral', () => {
    expect(sum('Не могли бы вы подсказать адрес')).toBe(0);
    expect(sum('С уважением, жители дома 5')).toBe(0);
  });

  it('hears shouting and indignant punctuation, but they never invent praise', () => {
    expect(sum('ДО КАКИХ ПОР ЭТО БУДЕТ ПРОДОЛЖАТЬСЯ')).toBeLessThan(0);
    expect(sum('Спасибо!!!')).toBeGreaterThan(sum('Спасибо'));
    expect(sum('Плохо!!!')).toBeLessThan(sum('Плохо'));
    expect(cues('И что теперь?!')).toContain('?!');
    expect(sum('СПАСИБО БОЛЬШОЕ')).toBeGreaterThan(0);
  });

  it('reads emoji and chat smileys, capping a row of them', () => {
    expect(sum('Свет дали 👍')).toBeGreaterThan(sum('Свет дали'));
    expect(sum('Опять 😡')).toBeLessThan(sum('Опять'));
    expect(sum('ок)))')).toBeGreaterThan(sum('ок'));
    expect(sum('ну вот(((')).toBeLessThan(0);
    expect(sum('❤❤❤❤❤❤❤❤❤❤❤❤❤❤❤❤')).toBeLessThanOrEqual(2);
    expect(sum('__emoji_anger__')).toBeLessThan(0);
  });

  it('reports cues as written, lower-cased, strongest first', () => {
    expect(cues('Безобразие! Опять не вывезли мусор')).toEqual(['безобразие', 'опять', 'не вывезли']);
  });

  it('does not hang or throw on odd input', () => {
    for (const t of ['', "'", "'''", '((((', ')))))', '!?!?!?', '\ud83d', 'a'.repeat(60_000), 'не '.repeat(5000), '__emoji_']) {
      expect(Number.isFinite(scanLexicon(t).sum)).toBe(true);
    }
  });
});
