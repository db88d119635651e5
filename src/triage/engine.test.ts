// The first triage engine on the real Astana configuration: language, category, urgency, place.
import { beforeAll, describe, expect, it } from 'vitest';
import { type City, loadCity } from '../config/load.js';
import { createTriageEngine } from './create.js';
import { type KeywordTriage, keywordTokens, normalise } from './engine.js';
import { detectLanguage } from './text/index.js';

let city: City;
let engine: KeywordTriage;
beforeAll(async () => {
  city = await loadCity('config/cities/astana');
  engine = createTriageEngine(city) as KeywordTriage;
});

describe('language by letters', () => {
  it.each([
    ['Су жоқ', 'kk'],
    ['свет нет 3 дня', 'ru'],
    ['No hot water since Monday', 'en'],
    ['Үйде жылу жоқ, батареялар суық', 'kk'],
    ['Здравствуйте, у нас в доме нет воды, су жоқ үшінші күн', 'mixed'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text).language).toBe(lang);
  });
});

describe('keyword triage on the Astana configuration', () => {
  it('finds the category, with an explanation naming the keyword', () => {
    const t = engine.triage({ text: 'Третий день нет горячей воды' });
    expect(t.category).toBe('HOTW');
    expect(t.confidence).toBeGreaterThan(0.35);
    expect(t.explanation.category.length).toBeGreaterThan(0);
  });

  it('marks a gas smell as critical and says why', () => {
    const t = engine.triage({ text: 'В подъезде сильный запах газа' });
    expect(t.category).toBe('GAS');
    expect(t.urgency).toBe('critical');
    expect(t.explanation.urgency.length).toBeGreaterThan(0);
  });

  it.each([
    ['Үйде жылу жоқ, сыртта -30', 'rule:no_heating_in_frost'],
    ['Батареи холодные, на улице мороз', 'rule:no_heating_in_frost'],
    ['Лифт остановился, внутри ребенок', 'rule:people_in_lift'],
    ['Нет горячей воды уже неделю, дома грудной ребенок', 'rule:vulnerable_people'],
  ])('marks %s critical by a combination (%s)', (text, rule) => {
    const t = engine.triage({ text });
    expect(t.urgency).toBe('critical');
    expect(t.explanation.urgency).toContain(rule);
  });

  it('reads Kazakh and Russian typed in Latin letters', () => {
    const kk = engine.triage({ text: 'Su joq 3 kun, Kenesary 40' });
    expect(kk.language).toBe('kk');
    expect(kk.replyLanguage).toBe('kk');
    expect(kk.category).toBe('WATR');
    expect(kk.address).toBe('Кенесары, 40');
    const ru = engine.triage({ text: 'svet net uzhe 2 dnya' });
    expect(ru.language).toBe('ru');
    expect(ru.category).toBe('ELEC');
  });

  it('answers code-switched text in the language that carries more of it', () => {
    const t = engine.triage({ text: 'У нас нет света уже два дня, жарық жоқ, балалар бар' });
    expect(t.language).toBe('mixed');
    expect(t.replyLanguage).toBe('ru');
    expect(t.category).toBe('ELEC');
  });

  it('leaves an ordinary complaint ordinary', () => {
    expect(engine.triage({ text: 'Дети играют во дворе, там яма на дороге' }).urgency).toBe('normal');
  });

  it('places a point in its district polygon', () => {
    expect(engine.triage({ text: 'Яма на дороге', lat: 51.095, lon: 71.47 }).district).toBe('esil');
    expect(engine.triage({ text: 'Яма на дороге', lat: 10, lon: 10 }).district).toBeNull();
  });

  it('finds a street and house in Russian and Kazakh text', () => {
    const ru = engine.triage({ text: 'Нет света на улице Кенесары 40' });
    expect(ru.address).toMatch(/Кенесары\S*\s+40/);
    const kk = engine.triage({ text: 'Кенесары көшесі 40 үйде жарық жоқ' });
    expect(kk.address).toMatch(/Кенесары/);
  });

  it('says it does not know rather than guessing', () => {
    const t = engine.triage({ text: 'Здравствуйте' });
    expect(t.category).toBeNull();
    expect(t.confidence).toBe(0);
  });

  it('recognises thanks as thanks', () => {
    const t = engine.triage({ text: 'Большое спасибо за быструю помощь!' });
    expect(t.kind).toBe('thanks');
    expect(t.sentiment).toBe('positive');
  });
});

describe('keyword words and robustness', () => {
  it.each([
    'Нет горячей воды',
    '  <b>Кенесары</b>&nbsp;40 &amp; https://x.kz/a?b @akimat — ЁЛКА ё-моё, İstanbul ΣΑΣ 𝗧𝗮𝗺 12-й',
    "su_joq __url__ __emoji_anger__ o'z Wi-Fi",
    `${String.fromCharCode(0xd800)}a\u0000b\u0301c`,
    '',
  ])('are the words of normalise(): %s', (text) => {
    expect(keywordTokens(text)).toEqual(normalise(text).trim().split(' ').filter(Boolean));
  });

  it('gives the same triage for an address in the text or beside it, with or without markup', () => {
    const a = engine.triage({ text: 'Нет горячей воды', address: 'ул. Кенесары, 40' });
    const b = engine.triage({ text: 'Нет горячей воды', address: 'ул. Кенесары, 40 <i>@дом</i>' });
    expect(a.category).toBe('HOTW');
    expect(b.category).toBe('HOTW');
    expect(a.address).toBe('Кенесары, 40');
  });

  it('triages empty, huge, binary and HTML input without throwing', () => {
    expect(engine.triage({ text: '' }).kind).toBe('noise');
    const huge = engine.triage({ text: 'Нет горячей воды на улице Кенесары 40. '.repeat(1_300) });
    expect(huge.category).toBe('HOTW');
    let junk = '';
    for (let i = 0; i < 50_000; i++) junk += String.fromCharCode((i * 7919) % 0x10000);
    expect(() => engine.triage({ text: junk, address: junk })).not.toThrow();
    const html = engine.triage({
      text: '<html><style>p{}</style><body><p>Третий день нет горячей воды&nbsp;!</p><script>x()</script></body></html>',
    });
    expect(html.category).toBe('HOTW');
  });
});

describe('geocoding from the gazetteer', () => {
  // The Astana gazetteer has no coordinates yet (no licensed source for them): a city adds them to triage.yaml.
  // Here two streets get some, one with a building, to show what the engine does with them.
  const withPoints = (): City => ({
    ...city,
    triage: {
      ...city.triage,
      streets: [
        {
          names: ['Кенесары', 'Kenesary'],
          district: 'saryarka',
          point: { lat: 51.195, lon: 71.365 },
          houses: { '40': { lat: 51.1951, lon: 71.3652 }, '12/1': { lat: 51.19, lon: 71.36 } },
        },
        { names: ['Туран', 'Turan'], district: 'esil' },
        { names: ['Сыганак'], point: { lat: 51.095, lon: 71.47 } },
      ],
      areas: [],
    },
  });

  it('puts a known building at its own point and takes the district from that point', () => {
    const t = createTriageEngine(withPoints()).triage({ text: 'Нет воды, ул. Кенесары 40, кв. 12' });
    expect([t.lat, t.lon]).toEqual([51.1951, 71.3652]);
    expect(t.district).toBe('saryarka');
    expect(t.explanation.place).toEqual({ method: 'gazetteer', precision: 'house', matched: 'ул. Кенесары 40, кв. 12' });
    expect(createTriageEngine(withPoints()).triage({ text: 'Kenesary 12 / 1 no water' }).explanation.place.precision).toBe('house');
  });

  it('falls back to the street’s point for an unknown house, and to the street’s district without any point', () => {
    const e = createTriageEngine(withPoints());
    const street = e.triage({ text: 'Нет воды, Кенесары 99' });
    expect([street.lat, street.lon, street.explanation.place.precision]).toEqual([51.195, 71.365, 'street']);
    // A street without a district in the gazetteer gets it from its point.
    expect(e.triage({ text: 'Сыганак 10, лифт не работает' }).district).toBe('esil');
    const none = e.triage({ text: 'Туран 37, лифт не работает' });
    expect([none.lat, none.lon, none.district, none.explanation.place.method]).toEqual([null, null, 'esil', 'street']);
  });

  it('never overrides the point the resident sent', () => {
    const t = createTriageEngine(withPoints()).triage({ text: 'Кенесары 40', lat: 51.123, lon: 71.335 });
    expect([t.lat, t.lon, t.district, t.explanation.place.method]).toEqual([51.123, 71.335, 'nura', 'point']);
  });
});

describe('spam and chatter', () => {
  it.each([
    '@demo_akim_astana 🔥🔥🔥 Розыгрыш айфона! Подпишись и отметь трёх друзей 👉 ссылка в профиле',
    '@demo_akim_astana Make $500 a day from home!!! DM me for crypto signals 🚀🚀',
    'Продам диван б/у, недорого, самовывоз. Пишите в личку.',
    '@demo_akim_astana Qaiyrly tan, Astana! ☀️☀️☀️',
  ])('%s → noise', (text) => {
    const t = engine.triage({ text });
    expect([t.kind, t.category]).toEqual(['noise', null]);
  });

  it('keeps distress and anything with a place or a category a complaint', () => {
    expect(engine.triage({ text: 'Помогите, ужас!' }).kind).toBe('complaint');
    expect(engine.triage({ text: 'Кенесары 40, приезжайте' }).kind).toBe('complaint');
    expect(engine.triage({ text: '@lift_service не работает лифт' }).category).toBe('LIFT');
  });

  it('does not read the normaliser’s markers or handles as words', () => {
    // "🚀" becomes an emoji marker holding the word "other"; a handle may hold "lift".
    expect(engine.triage({ text: '🚀🚀' }).category).toBeNull();
    expect(engine.triage({ text: '@lift_service привет' }).category).toBeNull();
  });
});
