// The analytics screens (#/analytics: volume and mood, topics, spikes, opinion on a question, polls, reports) in a real
// browser (Debian's Chromium) against a real centre, each in Kazakh and then in Russian, as a supervisor: the figures
// shown are the API's, quotes come with personal data masked, a question and a poll are made through their forms, a
// resident answers the poll on the portal, and the downloads are real files. No request leaves the machine.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectSpikes } from '../../src/analytics/spike-sweep.js';
import { startTestCentre, storeTriaged, type TestCentre, waitFor } from '../centre.js';
import { CHROMIUM_ARGS, signIn, unnamed, watchPage, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const HOUR = 3_600_000;
type Lang = 'ru' | 'kk' | 'en';
type Words = Awaited<ReturnType<typeof words>>;

/** A burst about one problem, each from another resident who left a phone and an e-mail in the text. */
const BURST = Array.from(
  { length: 8 },
  (_, i) => `Прорыв трубы горячей воды на Кенесары 40, кипяток течёт по двору. Звоните +7701666000${i} или pishite${i}@mail.kz`,
);
/** Messages about paid parking, for the opinion question. */
const PARKING = [
  'Платная парковка в центре — правильное решение, наконец есть где встать у дома',
  'Орталықтағы ақылы тұрақ дұрыс шешім, енді көлік қоятын орын бар',
  'Платная парковка в центре — это поборы, цены слишком высокие, отменить',
  'Подскажите, с какого числа вводят платную парковку в центре?',
];

const fill = (template: string, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), template);
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

describe.skipIf(!existsSync(CHROMIUM))('the analytics screens in a browser', () => {
  let centre: TestCentre;
  let browser: Browser;
  let page: Page;
  let token: string;
  let w: Words;
  let burstCell: { category: string; district: string };
  const problems: string[] = [];
  const outside: string[] = [];

  const watch = (p: Page) => watchPage(p, centre.url, problems, outside);
  const api = async (path: string) => {
    const r = await centre.api(path, { token });
    expect(r.status, r.text).toBe(200);
    return r.body;
  };
  /** Waits until the pipeline is done with every message residents sent. */
  const settled = () =>
    waitFor('the pipeline to finish every inbound message', async () => {
      const left = await centre.ctx.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('direction', '=', 'in')
        .where('stage', '!=', 'done')
        .executeTakeFirstOrThrow();
      return Number(left.n) === 0;
    });
  const speak = async (lang: Lang) => {
    await page.locator(`.lang-switch button[data-lang="${lang}"]`).click();
    await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  };
  const openTab = async (tab: string) => {
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#/analytics/${tab}`);
    await page.locator(`#view-analytics nav.subnav a[href="#/analytics/${tab}"][aria-current="page"]`).waitFor();
  };
  const view = () => page.locator('#view-analytics');
  /** The tab's lead paragraph, in the page's language (a change of language must retranslate it too). */
  const lead = (lang: Lang, key: string) =>
    view()
      .locator('.analytics-tab > p.lead', { hasText: w[lang](key) })
      .waitFor();
  const shoot = (tab: string, lang: Lang) => page.screenshot({ path: `${SHOTS}/analytics-${tab}-${lang}.png`, fullPage: true });
  /** The file a click downloads, with its suggested name. */
  const download = async (p: Page, click: () => Promise<void>) => {
    const [d] = await Promise.all([p.waitForEvent('download'), click()]);
    const path = await d.path();
    return { name: d.suggestedFilename(), bytes: await readFile(path) };
  };
  const clean = async () => {
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  };

  beforeAll(async () => {
    centre = await startTestCentre();
    token = await centre.login('supervisor@qala.demo');
    // The burst and the parking messages through the public API, as residents would write them.
    for (const [i, text] of BURST.entries()) {
      const r = await centre.api('/api/v1/appeals', { body: { text, contact: { name: `Житель ${i}`, phone: `+7701777000${i}` } } });
      expect(r.status, r.text).toBe(201);
    }
    for (const [i, text] of PARKING.entries()) {
      const r = await centre.api('/api/v1/appeals', { body: { text, contact: { phone: `+7701888000${i}` } } });
      expect(r.status, r.text).toBe(201);
    }
    await settled();
    const triage = await centre.ctx.db
      .selectFrom('messages as m')
      .innerJoin('message_triage as t', 't.message_id', 'm.id')
      .select(['t.category', 't.district'])
      .where('m.text', '=', BURST[0] as string)
      .executeTakeFirstOrThrow();
    expect(triage.category && triage.district).toBeTruthy();
    burstCell = { category: triage.category as string, district: triage.district as string };
    // Weeks of ordinary history in the burst's cell (a few messages a day), so that the burst stands out in the
    // topics (against their baseline) and as a spike (against the expected count).
    const ORDINARY = ['Слабый напор воды вечером', 'Кешке су қысымы әлсіз', 'Вода из крана ржавая, проверьте фильтры'];
    const now = Date.now();
    for (let day = 1; day <= 56; day++)
      for (const [i, text] of ORDINARY.entries()) {
        await storeTriaged(
          centre.ctx.db,
          {
            external_id: `analytics-history-${day}-${i}`,
            text,
            received_at: new Date(now - day * 24 * HOUR - ((day * 7 + i * 4) % 12) * HOUR),
          },
          { ...burstCell, language: i === 1 ? 'kk' : 'ru', engine: 'history' },
        );
      }

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'kk-KZ', acceptDownloads: true });
    page = await context.newPage();
    watch(page);
    await mkdir(SHOTS, { recursive: true });
    await signIn(page, centre.url, 'supervisor@qala.demo', 'kk');
    w = await words(page);
  }, 240_000);
  afterEach(async (t) => {
    // What the screen said when a test failed (a screenshot beside the others, and the text in the log).
    if (t.task.result?.state !== 'fail' || !page) return;
    await page.screenshot({ path: `${SHOTS}/analytics-failed.png`, fullPage: true });
    console.log(await view().textContent());
  });
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  it('draws volume and mood on the district map with the figures the API gives', async () => {
    const configured = (centre.ctx.city.geojson as { features: { properties: { id: string } }[] }).features.map((f) => f.properties.id).sort();
    const series = await api('/api/v1/analytics/volume?days=30&bucket=day');
    const byDistrict = await api('/api/v1/analytics/volume/by/district?days=30&bucket=day');
    expect(series.totals.messages).toBeGreaterThanOrEqual(BURST.length + PARKING.length);
    const busiest = byDistrict.rows
      .filter((r: { value: string | null }) => r.value)
      .sort((a: { messages: number }, b: { messages: number }) => b.messages - a.messages)[0];
    for (const lang of ['kk', 'ru'] as const) {
      await speak(lang);
      if (lang === 'kk') await openTab('volume');
      const totals = fill(w[lang]('vol.totals'), { n: series.totals.messages, share: pct(series.totals.negative_share) });
      await view().locator('[data-vol-status]', { hasText: totals }).waitFor();
      expect(await page.locator('#analytics-h').textContent()).toBe(w[lang]('analytics.title'));
      await lead(lang, 'vol.lead');
      const districts = await view()
        .locator('.vol-map .district-map .district')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-district')));
      expect(districts.sort()).toEqual(configured);
      // The busiest district's line under the map says what the API says, with its name in the page's language.
      const name = centre.ctx.city.city.districts.find((d) => d.id === busiest.value)?.name[lang] as string;
      await view()
        .locator('.vol-districts li', { hasText: `${name}: ${busiest.messages} · ${w[lang]('vol.negative')}` })
        .waitFor();
      expect(await view().locator(`.district[data-district="${busiest.value}"] title`).textContent()).toContain(name);
      // The trend and the categories are drawn.
      await view().locator('.chart-figure svg').nth(1).waitFor();
      expect(await view().locator('.chart-figure figcaption').first().textContent()).toContain(w[lang]('vol.trend.title'));
      await clean();
      await shoot('volume', lang);
    }
  }, 90_000);

  it('lists the topics with quotes whose phone numbers and e-mails are masked', async () => {
    for (const lang of ['kk', 'ru'] as const) {
      await speak(lang);
      if (lang === 'kk') await openTab('topics');
      const theme = view().locator('article.topic', { has: page.locator('.topic-phrases li', { hasText: /труб/ }) });
      await theme.first().waitFor();
      const counts = w[lang]('topics.counts')
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{(period|baseline)\}/g, '[1-9]\\d*');
      await view()
        .locator('.topics-list > p', { hasText: new RegExp(`^${counts}$`) })
        .waitFor();
      expect(await theme.first().locator('h4').first().textContent()).toBe(w[lang]('topics.phrases'));
      await lead(lang, 'topics.lead');
      // The trend runs over the city's days and ends today in the city, whatever the browser's time zone.
      const today = new Date(Date.now() + centre.ctx.city.city.utc_offset_minutes * 60_000).toISOString().slice(5, 10);
      expect(await theme.first().locator('table tbody tr th').last().textContent()).toBe(today);
      const quotes = await view().locator('.topic-quote').allTextContents();
      expect(quotes.length).toBeGreaterThan(0);
      const burstQuotes = await theme.first().locator('.topic-quote').allTextContents();
      expect(burstQuotes.some((q) => q.includes('[phone]') && q.includes('[email]'))).toBe(true);
      for (const q of quotes) {
        expect(q).not.toMatch(/\+?7[\s(-]*7\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}/);
        expect(q).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      }
      await clean();
      await shoot('topics', lang);
    }
  }, 90_000);

  it('shows the spikes: none yet in Kazakh, the burst once detected in Russian', async () => {
    expect((await api('/api/v1/analytics/spikes')).alerts).toEqual([]);
    await speak('kk');
    await openTab('spikes');
    await view()
      .locator('.spikes-list p.lead', { hasText: w.kk('spikes.none') })
      .waitFor();
    await lead('kk', 'spikes.lead');
    await clean();
    await shoot('spikes', 'kk');
    expect(await detectSpikes(centre.ctx, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    await speak('ru');
    const district = centre.ctx.city.city.districts.find((d) => d.id === burstCell.district)?.name.ru as string;
    const card = view().locator('article.spike', { has: page.locator('h3', { hasText: district }) });
    await card.first().waitFor();
    expect(await card.first().locator('.spike-numbers').textContent()).toMatch(/^Пришло \d+, ожидалось /);
    const messages = await card.first().locator('details li').allTextContents();
    expect(messages.length).toBeGreaterThanOrEqual(BURST.length);
    expect(messages.join('\n')).not.toMatch(/7701666000|@mail\.kz/);
    expect(await card.first().locator('button').textContent()).toBe(w.ru('spikes.make'));
    await lead('ru', 'spikes.lead');
    await clean();
    await shoot('spikes', 'ru');
  }, 90_000);

  it('asks a question through the form, shows the estimate with its intervals and caveat, and records a correction', async () => {
    await speak('kk');
    await openTab('opinion');
    await view()
      .locator('p', { hasText: w.kk('opinion.none') })
      .waitFor();
    const form = view().locator('form.opinion-ask');
    await form.locator('input[name="ru"]').fill('Платная парковка в центре');
    await form.locator('input[name="kk"]').fill('Орталықтағы ақылы тұрақ');
    await form.locator('input[name="keywords"]').fill('платн парков, ақылы тұрақ, aqyly turaq');
    await form.locator('textarea[name="ex_for"]').fill('Платная парковка — правильно, стало свободнее\nАқылы тұрақ дұрыс, орын көбейді');
    await form.locator('textarea[name="ex_against"]').fill('Платная парковка — поборы, отменить\nАқылы тұрақ қымбат, керек емес');
    await form.locator('textarea[name="ex_neutral"]').fill('Когда начнёт работать платная парковка?\nАқылы тұрақ қашан басталады?');
    await form.locator('button[type="submit"]').click();
    const estimate = view().locator('section.opinion-estimate');
    await estimate.locator('h2', { hasText: 'Орталықтағы ақылы тұрақ' }).waitFor();
    const { questions } = await api('/api/v1/analytics/opinion');
    expect(questions).toHaveLength(1);
    const id = questions[0].id;
    await view()
      .locator('form.opinion-ask [role="status"]', { hasText: fill(w.kk('opinion.asked'), { n: questions[0].matches }) })
      .waitFor();
    // The parking messages, and perhaps a demo appeal very like an example ("when will it start?").
    expect(questions[0].matches).toBeGreaterThanOrEqual(PARKING.length);
    const shown = async (lang: Lang) => {
      const data = await api(`/api/v1/analytics/opinion/${id}`);
      // Every stance, raw and weighted, with its share and 95% interval as the API gives them.
      const chart = estimate.locator('figure.chart-figure', { has: page.locator('figcaption', { hasText: w[lang]('opinion.chart') }) });
      const want = ['for', 'against', 'neutral'].flatMap((s) =>
        (['raw', 'weighted'] as const).map((k) => {
          const v = data.estimate.answers[s][k];
          return [`${w[lang](`opinion.stance.${s}`)} · ${w[lang](`opinion.${k}`)}`, `${pct(v.share)} (${pct(v.ci[0])}–${pct(v.ci[1])})`];
        }),
      );
      // The chart module loads on its own (and redraws on a change of language): wait until its table says this.
      const rows = () =>
        chart
          .locator('table tbody tr')
          .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]));
      await expect.poll(rows).toEqual(want);
      await estimate.locator('.opinion-caveat', { hasText: data.estimate.caveat[lang] }).waitFor();
      return data;
    };
    const before = await shown('kk');
    expect(before.estimate.n).toBe(questions[0].matches);
    // The analyst moves a quote read as "for" to "against": it is stored as the analyst's word and shown there.
    const forQuote = estimate.locator('.opinion-quotes li', { has: page.locator('select') }).filter({
      has: page.locator('option[value="for"]:checked'),
    });
    const text = (await forQuote.first().locator('blockquote').textContent()) as string;
    expect(text.length).toBeGreaterThan(0);
    await forQuote.first().locator('select').selectOption('against');
    await waitFor('the correction to be recorded', async () => (await api(`/api/v1/analytics/opinion/${id}`)).corrected === 1);
    const moved = estimate.locator('.opinion-quotes li', { has: page.locator('blockquote', { hasText: text }) });
    await moved.locator('option[value="against"]:checked').waitFor({ state: 'attached' });
    const stored = await centre.ctx.db
      .selectFrom('opinion_matches')
      .select(['stance', 'source'])
      .where('question_id', '=', id)
      .where('source', '=', 'analyst')
      .execute();
    expect(stored).toEqual([{ stance: 'against', source: 'analyst' }]);
    await shown('kk');
    await lead('kk', 'opinion.lead');
    await clean();
    await shoot('opinion', 'kk');
    await speak('ru');
    await estimate.locator('h2', { hasText: 'Платная парковка в центре' }).waitFor();
    await shown('ru');
    await lead('ru', 'opinion.lead');
    expect(await view().locator('form.opinion-ask h2').textContent()).toBe(w.ru('opinion.ask'));
    await clean();
    await shoot('opinion', 'ru');
  }, 120_000);

  it('makes a poll in three languages, opens it, takes a resident’s answer on the portal, closes it and exports it', async () => {
    await speak('kk');
    await openTab('polls');
    const q = { ru: 'Нужны ли новые велодорожки?', kk: 'Жаңа велосипед жолдары керек пе?', en: 'Do we need new bike lanes?' };
    const options = [
      { ru: 'Да', kk: 'Иә', en: 'Yes' },
      { ru: 'Нет', kk: 'Жоқ', en: 'No' },
    ];
    for (const l of ['ru', 'kk', 'en'] as const) {
      await page.locator(`#ap-q-${l}`).fill(q[l]);
      for (const [i, o] of options.entries()) await page.locator(`#ap-o${i}-${l}`).fill(o[l]);
    }
    await view().locator('form.card button[type="submit"]').click();
    await view()
      .locator('.form-status', { hasText: w.kk('apolls.saved') })
      .waitFor();
    const item = view().locator('li[data-poll]', { hasText: q.kk });
    await item.locator('.badge', { hasText: w.kk('apolls.phase.draft') }).waitFor();
    const pollId = await item.getAttribute('data-poll');
    await item.locator('button', { hasText: w.kk('apolls.open') }).click();
    await view()
      .locator(`li[data-poll="${pollId}"] .badge`, { hasText: w.kk('apolls.phase.open') })
      .waitFor();

    // A resident answers on the portal: another browser context, no login, in Kazakh.
    const resident: BrowserContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'kk-KZ' });
    const portal = await resident.newPage();
    watch(portal);
    await portal.goto(centre.url);
    await portal.evaluate(() => localStorage.setItem('qala.lang', 'kk'));
    await portal.goto(`${centre.url}/#/polls`);
    const card = portal.locator(`section.poll[data-poll="${pollId}"]`);
    await card.locator('legend', { hasText: q.kk }).waitFor();
    await card.locator('label', { hasText: options[0]?.kk as string }).click();
    await card.locator('select[name="district"]').selectOption('esil');
    await card.locator('button[type="submit"]').click();
    await card.locator('.form-status', { hasText: w.kk('polls.thanks') }).waitFor();
    await card.locator('.poll-results', { hasText: w.kk('polls.results.few') }).waitFor();
    await resident.close();

    // Closed, its results: one answer, intervals, the effective sample and the caveat.
    await view()
      .locator(`li[data-poll="${pollId}"] button`, { hasText: w.kk('apolls.close') })
      .click();
    await view()
      .locator(`li[data-poll="${pollId}"] .badge`, { hasText: w.kk('apolls.phase.closed') })
      .waitFor();
    const results = await api(`/api/v1/polls/${pollId}/results`);
    const shown = async (lang: Lang) => {
      const section = view().locator('section.poll-results');
      await section.locator('h3', { hasText: q[lang] }).waitFor();
      const rows = await section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(rows.map((r) => r.slice(0, 2))).toEqual([
        [options[0]?.[lang], '1'],
        [options[1]?.[lang], '0'],
      ]);
      for (const r of rows) for (const cell of r.slice(2)) expect(cell).toMatch(/^\d+(\.\d)?% \(\d+(\.\d)?%–\d+(\.\d)?%\)$/);
      await section.locator('p.hint', { hasText: results.caveat[lang] }).waitFor();
      expect(await section.locator('thead th').first().textContent()).toBe(w[lang]('apolls.col.option'));
      expect(await view().locator('.analytics-tab > h2').textContent()).toBe(w[lang]('apolls.title'));
      return section;
    };
    const section = await shown('kk');
    const csv = await download(page, () => section.locator('button', { hasText: w.kk('apolls.export') }).click());
    expect(csv.name).toBe(`poll-${pollId}.csv`);
    const lines = csv.bytes.toString('utf8').trim().split(/\r?\n/);
    expect(lines.length).toBeGreaterThan(1);
    await clean();
    await shoot('polls', 'kk');
    await speak('ru');
    await shown('ru');
    await clean();
    await shoot('polls', 'ru');
  }, 120_000);

  it('builds a digest on demand and downloads it as PDF and XLSX from the archive', async () => {
    await speak('kk');
    await openTab('reports');
    const archive = view().locator('.reports-archive');
    await archive.locator('p', { hasText: w.kk('reports.none') }).waitFor();
    // The day offered is yesterday in the city, whatever the browser's time zone.
    const yesterday = new Date(Date.now() - 24 * HOUR + centre.ctx.city.city.utc_offset_minutes * 60_000).toISOString().slice(0, 10);
    expect(await view().locator('form.reports-build input[type="date"]').inputValue()).toBe(yesterday);
    await view().locator('form.reports-build button[type="submit"]').click();
    const rows = archive.locator('tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    const { reports } = await api('/api/v1/analytics/reports');
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(await rows.count()).toBe(reports.length);
    await view()
      .locator('form.reports-build [role="status"]', { hasText: new RegExp(`${reports[0].date}`) })
      .waitFor();
    const row = (lang: Lang, format: string) =>
      rows.filter({ has: page.locator('td', { hasText: new RegExp(`^${format}$`) }) }).filter({ hasText: w.kk(`reports.language.${lang}`) });
    const pdf = await download(page, () => row('kk', 'PDF').first().locator('button').click());
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const xlsx = await download(page, () => row('kk', 'XLSX').first().locator('button').click());
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    await lead('kk', 'reports.lead');
    await clean();
    await shoot('reports', 'kk');
    await speak('ru');
    await archive.locator('caption', { hasText: w.ru('reports.archive') }).waitFor();
    await lead('ru', 'reports.lead');
    await archive
      .locator('td', { hasText: w.ru('reports.language.ru') })
      .first()
      .waitFor();
    const ruPdf = await download(page, () =>
      rows
        .filter({ has: page.locator('td', { hasText: /^PDF$/ }) })
        .filter({ hasText: w.ru('reports.language.ru') })
        .first()
        .locator('button')
        .click(),
    );
    expect(ruPdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await clean();
    await shoot('reports', 'ru');
  }, 120_000);

  it('moves between the tabs with the keyboard: the links are Tab stops, Enter opens one', async () => {
    await openTab('volume');
    // The markup promises links in a navigation landmark, not a tablist: Tab and Enter, as for any link.
    expect(await view().locator('[role="tablist"], [role="tab"]').count()).toBe(0);
    const links = view().locator('nav.subnav a');
    expect(await links.count()).toBe(6);
    await links.first().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#/analytics/topics');
    await page.keyboard.press('Enter');
    await view().locator('nav.subnav a[href="#/analytics/topics"][aria-current="page"]').waitFor();
    await view().locator('article.topic').first().waitFor();
    // The route moves focus to the content; the next Tab is the first tab link again.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#/analytics/volume');
    await clean();
  }, 60_000);
});
