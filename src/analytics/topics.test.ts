// Topics on a tiny corpus with a known answer: the phrase that is new in the period scores highest, a phrase as
// common in the baseline as in the period does not come up, word forms meet under one stem, and phrases that share
// messages make one theme with quotes that hold them.
import { describe, expect, it } from 'vitest';
import { type Doc, phrasesOf, representative, scorePhrases, stem, themesOf } from './topics.js';

let next = 1;
const doc = (text: string, sender = `r${next}`): Doc => ({ id: next++, text, sender, day: '2026-01-10' });

const baseline = [
  ...Array.from({ length: 20 }, (_, i) => doc(`Яма на дороге возле дома ${i}, машины бьют колёса`)),
  ...Array.from({ length: 20 }, (_, i) => doc(`Мусор не вывезли со двора ${i}, контейнеры полные`)),
];
const period = [
  ...Array.from({ length: 6 }, (_, i) => doc(`Яма на дороге у дома ${i}`)),
  ...Array.from({ length: 6 }, (_, i) => doc(`Мусор не вывезли, двор ${i}`)),
  doc('Запах газа в подъезде, очень сильный'),
  doc('Пахнет газом в подъезде третий день'),
  doc('Сильный запах газа на лестнице в подъезде'),
  doc('Газом пахнет во всём подъезде, страшно'),
  doc('Сәлеметсіз бе, подъезде газ иісі шығып тұр'),
];

describe('phrases', () => {
  it('meet under one stem whatever the word form', () => {
    expect(stem('газа')).toBe(stem('газом'));
    expect(stem('подъезде')).toBe(stem('подъезд'));
    expect(stem('жолдың')).toBe(stem('жолға'));
  });

  it('are 1–3 consecutive content words, broken by stop words', () => {
    const p = phrasesOf('Нет горячей воды в доме');
    expect([...p.values()]).toContain('горячей воды');
    expect([...p.values()]).not.toContain('воды доме');
  });

  it('hold no part of a phone, e-mail or handle, and break where one was', () => {
    const p = [...phrasesOf('Пишите aigul.serik@mail.kz или звоните +7 701 555 12 34 мастер придет, @akimat_astana').values()];
    expect(p.some((x) => /mail|aigul|serik|akimat|701/.test(x))).toBe(false);
    expect(p).toContain('мастер придет');
    expect(p).not.toContain('пишите мастер');
  });
});

describe('log-odds scoring against a baseline', () => {
  const phrases = scorePhrases(period, baseline, { minDocs: 3, minSenders: 3, minZ: 1.96, limit: 40 });

  it('puts the phrases that are new in the period first', () => {
    // "газ" (газа, газом, газ) and "подъезд" are in all five gas messages and in no baseline message.
    expect(
      phrases
        .slice(0, 2)
        .map((p) => p.key)
        .sort(),
    ).toEqual([stem('газа'), stem('подъезде')].sort());
    for (const p of phrases.slice(0, 2)) {
      expect(p.period).toBe(5);
      expect(p.baseline).toBe(0);
      expect(p.z).toBeGreaterThan(1.96);
    }
  });

  it('leaves out what is as common as usual', () => {
    expect(phrases.map((p) => p.key)).not.toContain(stem('мусор'));
    expect(phrases.map((p) => p.key)).not.toContain(stem('яма'));
  });

  it('needs several people: one person writing five times is not a topic', () => {
    const one = Array.from({ length: 5 }, () => doc('Сломан лифт в подъезде', 'same'));
    expect(scorePhrases(one, baseline).map((p) => p.key)).not.toContain(`${stem('сломан')} ${stem('лифт')}`);
  });
});

describe('themes', () => {
  it('group phrases of the same messages, with quotes that hold them', () => {
    const phrases = scorePhrases(period, baseline);
    const themes = themesOf(phrases);
    const gas = themes.find((t) => t.phrases.some((p) => p.key === stem('подъезде')));
    expect(gas?.phrases.map((p) => p.key)).toEqual(expect.arrayContaining([stem('газа'), stem('подъезде')]));
    const quotes = representative(gas as NonNullable<typeof gas>, new Map(period.map((d) => [d.id, d])));
    expect(quotes).toHaveLength(3);
    for (const q of quotes) expect(q.text.toLowerCase()).toMatch(/газ/);
  });
});
