// Language ID on real and tricky appeals: short and long, Kazakh in Cyrillic with and without Kazakh letters and in
// every Latin form, Russian in Latin letters, English, code-switching, HTML, and junk.
import { describe, expect, it } from 'vitest';
import { detectLanguage, namesIn, wordEvidence } from './language.js';

const cases = (rows: [string, string, string][]) => rows.map(([text, language, script]) => ({ text, language, script }));

describe('detectLanguage', () => {
  it.each(
    cases([
      ['Су жоқ', 'kk', 'cyrillic'],
      ['Үйде жылу жоқ, батареялар суық', 'kk', 'cyrillic'],
      ['Кенесары көшесінде 3 күннен бері жарық жоқ. Көмектесіңіз!', 'kk', 'cyrillic'],
      ['Сәлеметсіз бе! Біздің ауладағы балалар алаңы бұзылған, жөндеуіңізді сұраймыз.', 'kk', 'cyrillic'],
      ['Лифт істемейді, қарт адамдар 9-қабатқа жаяу шығады', 'kk', 'cyrillic'],
      ['Рахмет!', 'kk', 'cyrillic'],
    ]),
  )('Kazakh in Cyrillic: $text', ({ text, language, script }) => {
    expect(detectLanguage(text)).toMatchObject({ language, script });
  });

  it.each(
    cases([
      ['Су жок', 'kk', 'cyrillic'],
      ['жарык жок уйде', 'kk', 'cyrillic'],
      ['Кошеде шам жанбайды, балалар кешке коркады', 'kk', 'cyrillic'],
      ['Каспи рахмет сендерге куптен куттим', 'kk', 'cyrillic'],
      ['ассалаумагалейкум, биздин уйдин лифти истемейди', 'kk', 'cyrillic'],
    ]),
  )('Kazakh without Kazakh letters: $text', ({ text, language, script }) => {
    expect(detectLanguage(text)).toMatchObject({ language, script });
  });

  it.each(
    cases([
      ['Su joq 3 kun', 'kk', 'latin'],
      ['jylu joq', 'kk', 'latin'],
      ['Salemetsizbe, Abai koshesinde 3 kunnen beri su joq', 'kk', 'latin'],
      ['rahmet, jaqsy jumys', 'kk', 'latin'],
      ['uide zharyk zhok, komektesiniz', 'kk', 'latin'],
      ['Sálemetsiz be! Úıde jaryq joq', 'kk', 'latin'],
      ['Būryñğy ötken zamanda, bır danyşpan kısı', 'kk', 'latin'],
      ["Qazaqstan Respy'bli'kasy, a'ke, g'ylym", 'kk', 'latin'],
    ]),
  )('Kazakh in Latin (official and chat): $text', ({ text, language, script }) => {
    expect(detectLanguage(text)).toMatchObject({ language, script });
  });

  it.each(
    cases([
      ['свет нет 3 дня', 'ru', 'cyrillic'],
      ['Третий день нет горячей воды, дети не могут помыться', 'ru', 'cyrillic'],
      ['Спасибо!', 'ru', 'cyrillic'],
      ['мaшина сломалась', 'ru', 'cyrillic'],
      ['Жалоба на яму на улице Қабанбай батыр в районе Есіл', 'ru', 'cyrillic'],
      ['Прошу принять меры: в подъезде сильный запах газа, жильцы боятся', 'ru', 'cyrillic'],
      ['svet net', 'ru', 'latin'],
      ['u nas net goryachey vody uzhe 3 dnya', 'ru', 'latin'],
      ['zdravstvuyte, pomogite pozhaluysta', 'ru', 'latin'],
      ['Lift ne rabotaet uje neskolko nedel', 'ru', 'latin'],
    ]),
  )('Russian: $text', ({ text, language, script }) => {
    expect(detectLanguage(text)).toMatchObject({ language, script });
  });

  it.each(
    cases([
      ['No hot water', 'en', 'latin'],
      ['No hot water since Monday', 'en', 'latin'],
      ['Hello, the elevator in our building is broken', 'en', 'latin'],
      ['There is a huge pothole on Kabanbay Batyr avenue, please fix it', 'en', 'latin'],
    ]),
  )('English: $text', ({ text, language, script }) => {
    expect(detectLanguage(text)).toMatchObject({ language, script });
  });

  it.each(
    cases([
      ['У нас нет света, жарық жоқ', 'mixed', 'cyrillic'],
      ['Здравствуйте, су жоқ үшінші күн', 'mixed', 'cyrillic'],
      ['Здравствуйте, у нас в доме нет воды, су жоқ үшінші күн', 'mixed', 'cyrillic'],
      ['Маған ұнады өте керемет телефоным как будто айфонға ұқсайды', 'mixed', 'cyrillic'],
      ['Спасибо большое, рахмет сізге, thank you very much', 'mixed', 'mixed'],
    ]),
  )('code-switched: $text', ({ text, language, script }) => {
    expect(detectLanguage(text)).toMatchObject({ language, script });
  });

  it('reports the share of each language', () => {
    const r = detectLanguage('У нас нет света, жарық жоқ');
    expect(r.parts.ru).toBeGreaterThan(r.parts.kk);
    expect(r.parts.kk).toBeGreaterThan(0.2);
    expect(r.parts.ru + r.parts.kk + r.parts.en).toBeCloseTo(1, 2);
  });

  it('is less sure of a short text than of a long one', () => {
    const short = detectLanguage('жоқ').confidence;
    const long = detectLanguage('Кенесары көшесінде 3 күннен бері жарық жоқ, балалар қараңғыда отыр, көмектесіңіз').confidence;
    expect(short).toBeGreaterThan(0.3);
    expect(short).toBeLessThan(long);
  });

  it('does not let a Kazakh place name turn a Russian appeal into "mixed"', () => {
    expect(detectLanguage('Прошу отремонтировать дорогу на улице Сарыарқа возле ТРЦ Хан Шатыр').language).toBe('ru');
  });

  it('ignores links, handles and emoji when judging language', () => {
    const r = detectLanguage('@akimat_astana жарық жоқ 😡 https://instagram.com/p/xyz #астана');
    expect(r.language).toBe('kk');
  });

  it('reads the language of an HTML e-mail body, not of its markup', () => {
    const html =
      '<html><head><style>body{font-family:Arial}</style></head><body><p>Добрый день!</p><p>Во дворе дома по улице Сыганак&nbsp;18 третий день не вывозят мусор.</p></body></html>';
    expect(detectLanguage(html)).toMatchObject({ language: 'ru', script: 'cyrillic' });
  });

  describe('robustness', () => {
    it.each([
      ['empty', ''],
      ['spaces', '   '],
      ['only digits', '123 456 7890'],
      ['only emoji', '😡😡😡🙏'],
      ['binary junk', '\u0000\uFFFD\uD800\u0007\u001b[0;\uFEFF\u0080\u00ff'.replace('\u00ff', '')],
      ['punctuation', '?!...,;'],
    ])('%s: no crash, no language claimed', (_name, text) => {
      const r = detectLanguage(text);
      expect(r.confidence).toBe(0);
      expect(r.script).toBe('none');
    });

    it('claims little about terminal escapes and stray letters', () => {
      expect(detectLanguage('\u001b[0m\u001b[31mERR\u0000').confidence).toBeLessThan(0.5);
    });

    it('takes a non-string without throwing', () => {
      expect(detectLanguage(undefined as unknown as string).confidence).toBe(0);
    });

    it('decides a 50 kB text quickly from its beginning', () => {
      const big = 'Үйде жылу жоқ, батареялар суық, балалар ауырып жатыр. '.repeat(900);
      const start = performance.now();
      expect(detectLanguage(big).language).toBe('kk');
      expect(performance.now() - start).toBeLessThan(1000);
    });
  });
});

describe('wordEvidence', () => {
  it('treats words both languages use as evidence for neither', () => {
    for (const w of ['газ', 'лифт', 'интернет']) {
      const e = wordEvidence(w);
      expect(e.anchor).toBeUndefined();
    }
  });

  it('marks common words as anchors of their language', () => {
    expect(wordEvidence('нет').anchor).toBe('ru');
    expect(wordEvidence('жок').anchor).toBe('kk');
    expect(wordEvidence('joq').anchor).toBe('kk');
    expect(wordEvidence('water').anchor).toBe('en');
  });
});

describe('names inside a sentence', () => {
  const byRegex = (t: string) =>
    new Set([...t.matchAll(/(?<=[\p{L}\p{N},;:)»"]\s+)\p{Lu}\p{Ll}+/gu)].map((m) => m[0].toLowerCase().replace(/ё/g, 'е')));
  it.each([
    'Нет воды на улице Сарыарқа, ТРЦ Хан Шатыр',
    'Привет. Ёлка у дома, 12 Мая; ») Абая " Кенесары\n\n Тұран',
    '𝗧𝗮𝗺𝗮𝘀𝗵𝗮 а 𝗧𝗮𝗺 Ǆemal ΣΑΣ Σας',
    'Aa Bb',
    '',
  ])('are those the expression finds: %s', (t) => {
    expect(namesIn(t)).toEqual(byRegex(t));
  });
});
