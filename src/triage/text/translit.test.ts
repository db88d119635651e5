// Kazakh between scripts: official Latin alphabets (2017, 2018, 2021), chat spelling, Cyrillic → Latin, the fold of
// Kazakh letters, and Russian typed in Latin letters.
import { describe, expect, it } from 'vitest';
import { cyrillicToLatin, detectLatinScheme, foldKazakh, latinToCyrillic, russianLatinToCyrillic, russianSkeleton } from './translit.js';

describe('latinToCyrillic', () => {
  it.each([
    // 2021 alphabet (Ä Ğ Ñ Ö Ş Ū Ü, I ı = і, İ i = и/й)
    ['Būryñğy ötken zamanda, bır danyşpan kısı', 'Бұрыңғы өткен заманда, бір данышпан кісі'],
    ['söilesıp, qalaiyn, üiıne', 'сөйлесіп, қалайын, үйіне'],
    ['Şymkent qalasy, Äl-Farabi dañğyly', 'Шымкент қаласы, Әл-Фараби даңғылы'],
    // 2018 alphabet (acute accents, ı = и/й, ý = у, u = ұ, sh/ch digraphs)
    ['Qazaqstan Respýblıkasy', 'Қазақстан Республикасы'],
    ['Sálemetsiz be! Úıde jaryq joq', 'Сәлеметсіз бе! Үйде жарық жоқ'],
    ['Ǵylym, ózgerister, sháı', 'Ғылым, өзгерістер, шәй'],
    // 2017 alphabet (apostrophes)
    ["Qazaqstan Respy'bli'kasy, a'ke, g'ylym, n'", 'Қазақстан Республикасы, әке, ғылым, ң'],
  ])('official: %s', (latin, cyrillic) => {
    expect(latinToCyrillic(latin)).toBe(cyrillic);
  });

  it('reads a 2021 text without special letters when told the scheme (plain i is и there, і in chat)', () => {
    expect(latinToCyrillic('Qazaqstan Respublikasy', '2021')).toBe('Қазақстан Республикасы');
    expect(latinToCyrillic('Qazaqstan Respublikasy')).toBe('Қазақстан Республікасы');
  });

  it.each([
    ['Su joq 3 kun', 'Су жоқ 3 кун'],
    ['jylu joq', 'жылу жоқ'],
    ['qala', 'қала'],
    ['rahmet', 'рахмет'],
    ['zhok', 'жок'],
    ['qalay aytu, uide, mening', 'қалай айту, уйде, менің'],
    ['ishinde, kisi, bir', 'ішінде, кісі, бір'],
    ['aya, tenge', 'ая, тенге'],
    ['JARYQ JOQ', 'ЖАРЫҚ ЖОҚ'],
  ])('chat: %s → %s', (latin, cyrillic) => {
    expect(latinToCyrillic(latin)).toBe(cyrillic);
  });

  it('leaves Cyrillic, digits and punctuation as they are, so mixed text survives', () => {
    expect(latinToCyrillic('kөшесі 12, пәтер 5')).toBe('көшесі 12, пәтер 5');
  });

  it('agrees with the fold whatever chat vowel the writer chose', () => {
    expect(foldKazakh(latinToCyrillic('uyde jaryq jok'))).toBe(foldKazakh('үйде жарық жоқ'));
  });
});

describe('detectLatinScheme', () => {
  it.each([
    ['Bağdat şaharynyñ', '2021'],
    ['bır kısı', '2021'],
    ['Sálem, qalaı', '2018'],
    ["a'ke men g'ylym", '2017'],
    ['su joq', 'chat'],
  ])('%s → %s', (text, scheme) => {
    expect(detectLatinScheme(text)).toBe(scheme);
  });
});

describe('cyrillicToLatin', () => {
  const text = 'Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының';
  it('writes the 2021 alphabet by default', () => {
    expect(cyrillicToLatin(text)).toBe('Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ');
  });
  it('writes the 2018 alphabet', () => {
    expect(cyrillicToLatin('Қазақстан Республикасы, үйде, сәлем', '2018')).toBe('Qazaqstan Respýblıkasy, úıde, sálem');
  });
  it('writes chat ASCII', () => {
    expect(cyrillicToLatin('Үйде жылу жоқ, шаһар', 'ascii')).toBe('Uyde jylu joq, shahar');
  });
  it('keeps capitals, with İ for и/й and I for і in 2021', () => {
    expect(cyrillicToLatin('ИЙГІЛІК Ілияс Шымкент ШЫМКЕНТ')).toBe('İİGILIK Iliias Şymkent ŞYMKENT');
  });
  it('round-trips the 2021 alphabet on Kazakh words', () => {
    for (const w of ['қазақстан', 'үйде', 'жарық', 'көшесінде', 'даңғылы', 'ұлттық', 'ғимарат', 'әкімдік', 'сөйлесіп']) {
      expect(latinToCyrillic(cyrillicToLatin(w), '2021')).toBe(w);
    }
  });
});

describe('foldKazakh', () => {
  it('maps Kazakh letters to the Russian ones typed instead, keeping case', () => {
    expect(foldKazakh('Жарық жоқ ҮЙДЕ, әкімдік, өте, ұл, ғой, һ, ёлка, Ң')).toBe('Жарык жок УЙДЕ, акимдик, оте, ул, гой, х, елка, Н');
  });
  it('makes Kazakh written without Kazakh letters meet the proper spelling', () => {
    expect(foldKazakh('жарык жок уйде')).toBe(foldKazakh('жарық жоқ үйде'));
  });
});

describe('Russian in Latin letters', () => {
  it.each([
    ['svet net 3 dnya', 'свет нет 3 дня'],
    ['u nas net goryachey vody', 'у нас нет горячей воды'],
    ['pozhaluysta, pomogite', 'пожалуйста, помогите'],
    ['shchetka', 'щетка'],
  ])('%s → %s', (latin, cyrillic) => {
    expect(russianLatinToCyrillic(latin)).toBe(cyrillic);
  });

  it('gives one key to a Russian word however it was transliterated', () => {
    for (const [a, b] of [
      ['очень', 'ochen'],
      ['уже', 'uje'],
      ['уже', 'uzhe'],
      ['пожалуйста', 'pozhaluysta'],
      ['горячей', 'goryachey'],
      ['здравствуйте', 'zdravstvuyte'],
      ['щетка', 'shchetka'],
    ] as const) {
      expect(russianSkeleton(b)).toBe(russianSkeleton(a));
    }
  });
});
