// Normalisation and HTML stripping on the kinds of text that reach the centre: portal and e-mail HTML, social
// posts with links, handles, hashtags and emoji, look-alike letters, and junk.
import { describe, expect, it } from 'vitest';
import { decodeEntities } from './entities.js';
import { looksLikeHtml, stripHtml } from './html.js';
import { lowerKazakh, normalise, unifyLookalikes } from './normalise.js';

const EMAIL_BODY = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Обращение</title>
<style>p { color: red } .x > .y { margin: 0 }</style><script>if (a < b) alert("</p>")</script></head>
<body><!-- signature --><p>Здравствуйте!&nbsp;У нас <b>нет</b> горячей воды&hellip;</p>
<div class="addr" data-x="a>b">Адрес: ул.&nbsp;Кенесары,&nbsp;40</div><ul><li>1-й подъезд</li><li>2-й подъезд</li></ul>
<p>Жарық &laquo;жоқ&raquo; &#1179;&#x04A3; &iukcy; &amp; &lt;b&gt;</p><table><tr><td>кв.</td><td>12</td></tr></table>
<img src="x.png" alt="фото">С уважением,<br>Айгүл</body></html>`;

describe('stripHtml', () => {
  it('keeps the text of elements and puts line breaks where blocks end', () => {
    const t = stripHtml(EMAIL_BODY);
    expect(t).toContain('Здравствуйте! У нас нет горячей воды…');
    expect(t).toContain('Адрес: ул. Кенесары, 40');
    expect(t).toMatch(/1-й подъезд\n+2-й подъезд/);
    expect(t).toMatch(/С уважением,\nАйгүл$/);
  });

  it('drops script, style and comments, including a script that contains a closing tag in a string', () => {
    const t = stripHtml(EMAIL_BODY);
    expect(t).not.toMatch(/alert|color|margin|signature|<\/?p>/);
  });

  it('decodes entities after removing tags, so escaped markup stays as text', () => {
    const t = stripHtml(EMAIL_BODY);
    expect(t).toContain('Жарық «жоқ» қң і & <b>');
  });

  it('leaves a lone "<" that is not a tag alone', () => {
    expect(stripHtml('температура < 18 градусов, а должно быть >= 20')).toBe('температура < 18 градусов, а должно быть >= 20');
  });

  it('survives an unclosed script and an unterminated attribute', () => {
    expect(stripHtml('Текст<script>var x = 1;')).toBe('Текст');
    expect(stripHtml('<a href="broken>ссылка</a> дальше')).toContain('дальше');
  });

  it('tells markup from plain text cheaply', () => {
    expect(looksLikeHtml('<p>текст</p>')).toBe(true);
    expect(looksLikeHtml('a &amp; b')).toBe(true);
    expect(looksLikeHtml('цена < 100 и > 50')).toBe(false);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['&amp;&lt;&gt;&quot;&apos;', `&<>"'`],
    ['&nbsp;&copy;&eacute;&Ouml;&yuml;&szlig;', '\u00a0©éÖÿß'],
    ['&Acy;&acy;&IOcy;&iocy;&SHCHcy;&yacy;&Iukcy;&iukcy;', 'АаЁёЩяІі'],
    ['&#1179;&#x04D9;&#X4E9;', 'қәө'],
    ['&#x1F600; &#128545;', '😀 😡'],
    ['&#150;&#151;', '–—'],
    ['&#0; &#xD800; &#x110000;', '\uFFFD \uFFFD \uFFFD'],
    ['&unknown; &amp', '&unknown; &'],
    ['AT&T, &copy2024, Q&A', 'AT&T, ©2024, Q&A'],
  ])('%s → %s', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});

describe('normalise', () => {
  it('never changes the original and returns new strings', () => {
    const original = 'Су ЖОҚ!!! 😡 https://egov.kz';
    const copy = `${original}`;
    normalise(original);
    expect(original).toBe(copy);
  });

  it('replaces links and e-mail addresses with markers and keeps them aside', () => {
    const n = normalise('Смотрите https://egov.kz/cms/ru?x=1, www.astana.gov.kz и t.me/akimat. Пишите: info@akimat.kz');
    expect(n.urls).toEqual(['https://egov.kz/cms/ru?x=1', 'www.astana.gov.kz', 't.me/akimat']);
    expect(n.emails).toEqual(['info@akimat.kz']);
    expect(n.text).toBe('смотрите __url__ , __url__ и __url__ . пишите: __email__');
  });

  it('keeps a mention as a marker plus the handle, since the handle of an official matters', () => {
    const n = normalise('@Akimat_Astana когда почините? cc @nurlan.b.');
    expect(n.mentions).toEqual(['akimat_astana', 'nurlan.b']);
    expect(n.tokens.slice(0, 2)).toEqual(['__mention__', 'akimat_astana']);
  });

  it('keeps the word of a hashtag, splitting on underscores', () => {
    const n = normalise('#астанасу #Су_Жоқ #ЖКХ');
    expect(n.hashtags).toEqual(['астанасу', 'су_жоқ', 'жкх']);
    expect(n.text).toBe('астанасу су жоқ жкх');
  });

  it('turns emoji into coarse mood markers, one per run', () => {
    const n = normalise('Опять нет света 😡😡😡 спасибо 🙏🏻👍 ну 🤷‍♀️ флаг 🇰🇿');
    expect(n.text).toBe('опять нет света __emoji_anger__ спасибо __emoji_thanks__ ну __emoji_other__ флаг __emoji_other__');
    expect(n.emoji).toEqual(['anger', 'anger', 'anger', 'thanks', 'thanks', 'other', 'other']);
  });

  it('folds ё to е, lower-cases, collapses whitespace and elongation', () => {
    expect(normalise('  ЁЛКА   во\tдворе\n\n ОЧЕНЬ  ооочень   плохо!!! ').text).toBe('елка во дворе очень очень плохо!!!');
  });

  it('unifies Latin look-alikes inside Cyrillic words and the reverse', () => {
    expect(normalise('мaшинa сломалась, Kөшесі, жоq, Wi-Fi нет, hеllо').text).toBe('машина сломалась, көшесі, жоқ, wi-fi нет, hello');
    expect(unifyLookalikes('бiр')).toBe('бір');
    expect(unifyLookalikes('Ҡала')).toBe('Қала');
  });

  it('lower-cases Kazakh Latin without the stray dot of İ', () => {
    expect(lowerKazakh('İNTERNET')).toBe('internet');
    expect(lowerKazakh('ĞYLYM JÄNE BILIM')).toBe('ğylym jäne bılım');
    expect(lowerKazakh('IPHONE')).toBe('iphone');
  });

  it('normalises Unicode to NFC and reads styled letters as plain ones', () => {
    expect(normalise('е\u0308лка қ').text).toBe('елка қ');
    expect(normalise('𝗧𝗮𝗺𝗮𝘀𝗵𝗮 ＳＵ').text).toBe('tamasha su');
  });

  it('normalises an HTML e-mail body end to end', () => {
    const n = normalise(EMAIL_BODY);
    expect(n.text.startsWith('обращение здравствуйте! у нас нет горячей воды…')).toBe(true);
    expect(n.tokens).toContain('кенесары');
    expect(n.tokens).not.toContain('alert');
  });

  describe('robustness', () => {
    it.each([
      ['empty', ''],
      ['only spaces', '   \n\t '],
      ['only digits', '1234567890'],
      ['only emoji', '😡😡😡🙏'],
      ['binary junk', '\u0000\uFFFD\uD800\u0007\u001b[0m\uFEFF\u200B'],
      ['unclosed tags', '<<<<a<a<a href="'],
    ])('%s gives a string and no crash', (_name, input) => {
      const n = normalise(input);
      expect(typeof n.text).toBe('string');
      expect(n.text).not.toMatch(/[\u0000-\u0008\uFFFD]/);
    });

    it('handles 50 kB of text quickly', () => {
      const big = `<p>Жарық жоқ, свет не работает уже неделю https://x.kz @akimat #су 😡</p>`.repeat(700);
      const junk = '<a "<b \'<'.repeat(6000);
      const start = performance.now();
      expect(normalise(big).tokens.length).toBeGreaterThan(5000);
      expect(typeof normalise(junk).text).toBe('string');
      expect(typeof stripHtml('a.'.repeat(25_000)).length).toBe('number');
      expect(performance.now() - start).toBeLessThan(1500);
    });
  });
});

describe('the quick paths give what the full steps give', () => {
  const byRegex = (t: string) => t.match(/[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}]+)*/gu) ?? [];
  it.each(["o'z o’zi su' 'a x'y'z2 a_b __url__ 12-й", 'кӧше й\u0306 е\u0301 𝐚𝐚𝐚 ааааа ӘӘӘ', '  два  пробела\tи\nстрока  ', ''])('%s', (t) => {
    const n = normalise(t);
    expect(n.tokens).toEqual(byRegex(n.text));
    expect(n.text).toBe(
      n.text
        .replace(/(\p{L})\1{2,}/gu, '$1')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(n.text).toBe(n.text.normalize('NFC'));
  });

  it('still composes decomposed letters and collapses runs of letters beyond the BMP', () => {
    expect(normalise('и\u0306 е\u0308').text).toBe('й е');
    expect(normalise('𐐨𐐨𐐨 x').text).toBe('𐐨 x');
  });
});
