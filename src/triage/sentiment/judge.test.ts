import { beforeAll, describe, expect, it } from 'vitest';
import { CITY_MESSAGES } from './fixture.js';
import { SentimentJudge } from './index.js';

let judge: SentimentJudge;
beforeAll(async () => {
  judge = await SentimentJudge.load();
});

describe('SentimentJudge with the shipped model', () => {
  it('loads the model committed in models/ without a path', () => {
    expect(judge.model?.labels).toEqual(['negative', 'positive']);
  });

  it('reads Kazakh thanks and complaints with the model and the lexicon together', () => {
    const thanks = judge.judge('Көп рахмет, жарық тез қосылды!', 'kk');
    expect(thanks).toMatchObject({ sentiment: 'positive', method: 'model+lexicon' });
    expect(thanks.cues).toContain('көп рахмет');
    const complaint = judge.judge('Жол өте нашар, ешкім жөндемейді', 'kk');
    expect(complaint.sentiment).toBe('negative');
    expect(complaint.cues).toContain('өте нашар');
  });

  it('names only model n-grams that are in the text', () => {
    const j = judge.judge('Рахмет, керемет жұмыс', 'kk');
    for (const cue of j.cues.filter((c) => c.startsWith('model:'))) {
      const gram = cue.replace(/^model:(word|chars):/, '').replace(/_/g, ' ');
      expect(` рахмет, керемет жұмыс `).toContain(gram);
    }
  });

  it('uses the model alone when no lexicon word is found', () => {
    expect(judge.judge('Қосымша өте ыңғайсыз жасалған', 'kk').method).toBe('model');
  });

  it('does not let the Cyrillic-trained model judge Latin-script Kazakh on its own', () => {
    const j = judge.judge('lift istemeidi, nashar, eshkim kelmeidi', 'kk');
    expect(j.sentiment).toBe('negative');
  });

  it('keeps Russian and English to the lexicon even with a model loaded', () => {
    expect(judge.judge('Спасибо за ремонт', 'ru').method).toBe('lexicon');
    expect(judge.judge('Thanks for the repair', 'en').method).toBe('lexicon');
  });

  it('keeps score and confidence in range and agrees the score with the label', () => {
    for (const m of CITY_MESSAGES) {
      const j = judge.judge(m.text, m.language);
      expect(j.score).toBeGreaterThanOrEqual(-1);
      expect(j.score).toBeLessThanOrEqual(1);
      expect(j.confidence).toBeGreaterThanOrEqual(0);
      expect(j.confidence).toBeLessThanOrEqual(1);
      if (j.sentiment === 'positive') expect(j.score).toBeGreaterThan(0);
      if (j.sentiment === 'negative') expect(j.score).toBeLessThan(0);
    }
  });

  it('gets most of the hand-written city messages right (a floor, not a target: see bench/sentiment.ts)', () => {
    const right = CITY_MESSAGES.filter((m) => judge.judge(m.text, m.language).sentiment === m.expected).length;
    expect(right / CITY_MESSAGES.length).toBeGreaterThan(0.75);
  });

  it('survives what intake may hand it: empty, 50 kB, binary junk, HTML, a lone apostrophe', () => {
    for (const [text, language] of [
      ['', 'kk'],
      ['   ', 'ru'],
      ['Ужас! '.repeat(9000), 'ru'],
      ['Рахмет '.repeat(8000), 'kk'],
      [String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 65536)), 'mixed'],
      ['\u0000\uffff\ud800\udc00\udfff', 'en'],
      ["'", 'en'],
      ["''''a'''", 'kk'],
      ['<html><body><script>alert(1)</script><p>Рахмет!</p></body></html>', 'kk'],
    ] as const) {
      const j = judge.judge(text, language);
      expect(['negative', 'neutral', 'positive']).toContain(j.sentiment);
      expect(Number.isFinite(j.score)).toBe(true);
    }
    expect(judge.judge('', 'kk')).toMatchObject({ sentiment: 'neutral', method: 'lexicon', cues: [] });
  });

  it('judges a 50 kB text quickly, reading only its beginning', () => {
    const t0 = performance.now();
    const j = judge.judge(`Безобразие, опять нет воды. ${'x'.repeat(50_000)}`, 'ru');
    expect(performance.now() - t0).toBeLessThan(50);
    expect(j.sentiment).toBe('negative');
  });

  it('strips markup before reading', () => {
    const j = judge.judge('<p>Спасибо за <b>оперативный</b> ремонт!</p>', 'ru');
    expect(j.sentiment).toBe('positive');
    expect(j.cues.join(' ')).not.toMatch(/<|>/);
  });
});

describe('SentimentJudge without a model', () => {
  const lexicon = SentimentJudge.fromModel(null);

  it('reads every language with the lexicon', () => {
    expect(lexicon.judge('Рахмет, бәрі жақсы', 'kk')).toMatchObject({ sentiment: 'positive', method: 'lexicon' });
    expect(lexicon.judge('Su joq, masqara', 'kk').sentiment).toBe('negative');
  });

  it('calls a question with no feeling in it neutral', () => {
    expect(lexicon.judge('Подскажите, когда будет отключение воды?', 'ru').sentiment).toBe('neutral');
    expect(lexicon.judge('When will the heating be turned on?', 'en').sentiment).toBe('neutral');
  });

  it('refuses a model that does not speak of positive and negative', () => {
    const fake = { labels: ['roads', 'water'] } as unknown as Parameters<typeof SentimentJudge.fromModel>[0];
    expect(() => SentimentJudge.fromModel(fake)).toThrow(/positive/);
  });
});
