// Polls end to end on a real centre (real HTTP, real database) with the fake Telegram Bot API on loopback: an analyst
// makes and opens a poll; residents answer on the portal and in the bot, one answer each (a second replaces the
// first); a closed poll refuses answers; results are the survey estimator's on the same answers; the export holds
// aggregates only, with small cells hidden; who may do what.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateShares } from '../../src/analytics/estimate.js';
import { callbackUpdate, FakeTelegram, messageUpdate, type Person } from '../../src/demo/fakes/telegram.js';
import { EXPORT_COLUMNS } from '../../src/polls/export.js';
import { districtPopulation, suppressed } from '../../src/polls/model.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SECRET = 'poll-webhook-secret';
const L = (s: string) => ({ ru: `${s} (ru)`, kk: `${s} (kk)`, en: s });
const POLL = { question: L('Should the city plant more trees?'), options: [L('Yes'), L('No'), L('Not sure')] };
const token = () => randomUUID().replaceAll('-', '');

describe('polls', () => {
  let fake: FakeTelegram;
  let c: TestCentre;
  let analyst: string;
  let updateIds = 1;

  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    c = await startTestCentre({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_URL: fake.url,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_POLLING: false,
    });
    analyst = await c.login('operator1@qala.demo');
  });
  afterAll(async () => {
    await c?.close();
    await fake?.stop();
  });

  const openPoll = async (body: Record<string, unknown> = POLL) => {
    const r = await c.api('/api/v1/polls', { token: analyst, body });
    expect(r.status, r.text).toBe(201);
    const o = await c.api(`/api/v1/polls/${r.body.id}/open`, { token: analyst, method: 'POST' });
    expect(o.status, o.text).toBe(200);
    return r.body.id as number;
  };
  const answer = (id: number, body: Record<string, unknown>) => c.api(`/api/v1/public/polls/${id}/answers`, { body });
  const rows = (id: number) => c.ctx.db.selectFrom('poll_answers').selectAll().where('poll_id', '=', id).orderBy('id').execute();
  const hook = (u: unknown) => fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, SECRET);

  it('lets an analyst create and edit a draft, open it, and then refuses edits; residents see only open polls', async () => {
    const bad = await c.api('/api/v1/polls', { token: analyst, body: { ...POLL, options: [L('Only one')] } });
    expect(bad.status).toBe(400);
    const created = await c.api('/api/v1/polls', { token: analyst, body: POLL });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', phase: 'draft', options: [{ id: '1' }, { id: '2' }, { id: '3' }] });
    const id = created.body.id;
    expect((await c.api('/api/v1/public/polls')).body.polls.map((p: { id: number }) => p.id)).not.toContain(id);
    const edited = await c.api(`/api/v1/polls/${id}`, {
      token: analyst,
      method: 'PUT',
      body: { ...POLL, question: L('Plant more trees in yards?') },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.question.en).toBe('Plant more trees in yards?');
    expect((await c.api(`/api/v1/polls/${id}/open`, { token: analyst, method: 'POST' })).body.phase).toBe('open');
    const open = await c.api('/api/v1/public/polls');
    expect(open.body.polls.find((p: { id: number }) => p.id === id)).toMatchObject({ question: { kk: 'Plant more trees in yards? (kk)' } });
    expect((await c.api(`/api/v1/polls/${id}`, { token: analyst, method: 'PUT', body: POLL })).status).toBe(409);
    expect((await c.api(`/api/v1/polls/${id}/open`, { token: analyst, method: 'POST' })).status).toBe(409);
  });

  it('takes one answer per portal respondent: a second answer replaces the first; results only after answering', async () => {
    const id = await openPoll();
    const me = token();
    expect((await c.api(`/api/v1/public/polls/${id}/results`, { headers: { 'x-respondent': me } })).status).toBe(403);
    const first = await answer(id, { option: '1', district: 'nura', respondent: me });
    expect(first.status, first.text).toBe(200);
    expect(first.body.replaced).toBe(false);
    const second = await answer(id, { option: '2', district: 'esil', respondent: me });
    expect(second.body.replaced).toBe(true);
    const stored = await rows(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ option_id: '2', district: 'esil', channel: 'web', changed: 1 });
    // The table keeps a hash, never the token itself.
    expect(stored[0]?.respondent_key).not.toContain(me);
    expect(stored[0]?.respondent_key).toMatch(/^[0-9a-f]{64}$/);
    // One answer is below the small-cell limit: the public results hide the counts.
    expect(second.body.results).toMatchObject({ n: null, enough: false });
    expect(second.body.results.options.every((o: { count: unknown }) => o.count === null)).toBe(true);
    const mine = await c.api(`/api/v1/public/polls/${id}/results`, { headers: { 'x-respondent': me } });
    expect(mine.status).toBe(200);
    expect(mine.body.mine).toEqual({ option: '2', district: 'esil' });
    expect((await answer(id, { option: '9', respondent: token() })).status).toBe(400);
    expect((await answer(id, { option: '1', district: 'atlantis', respondent: token() })).status).toBe(400);
    expect((await answer(id, { option: '1', respondent: 'short' })).status).toBe(400);
  });

  it('answers in the Telegram bot: /polls in the resident’s language, an option, the district, once per user', async () => {
    const id = await openPoll({ question: L('Is your yard lit at night?'), options: [L('Lit'), L('Dark')] });
    const p: Person = { id: 7301, first_name: 'Resident', language_code: 'kk' };
    await hook({ update_id: updateIds++, ...messageUpdate(fake, p, { text: '/polls' }) });
    const listed = await waitFor('the poll in the chat', async () =>
      fake.sentTo(p.id).find((s) => s.text.includes('Is your yard lit at night? (kk)')),
    );
    const keyboard = (listed.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(keyboard.map((row) => row[0]?.callback_data)).toEqual([`poll:${id}:1`, `poll:${id}:2`]);
    expect(keyboard[0]?.[0]?.text).toBe('Lit (kk)');

    await hook({ update_id: updateIds++, ...callbackUpdate(p, `poll:${id}:2`, listed.message_id) });
    const ask = await waitFor('the district question', async () => fake.sentTo(p.id).find((s) => s.text.includes('Қай ауданда')));
    const districts = (ask.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard
      .flat()
      .map((b) => b.callback_data);
    expect(districts).toContain(`pd:${id}:saryarka`);
    expect(districts).toContain(`pd:${id}:-`);
    await hook({ update_id: updateIds++, ...callbackUpdate(p, `pd:${id}:saryarka`, ask.message_id) });
    await waitFor('the district noted', async () => fake.sentTo(p.id).find((s) => s.text.includes('Сарыарқа')));
    expect(await rows(id)).toMatchObject([{ option_id: '2', district: 'saryarka', channel: 'telegram' }]);

    // Pressing the other option later changes the one answer and keeps the district.
    await hook({ update_id: updateIds++, ...callbackUpdate(p, `poll:${id}:1`, listed.message_id) });
    await waitFor('the changed answer', async () => (await rows(id))[0]?.option_id === '1');
    expect(await rows(id)).toMatchObject([{ option_id: '1', district: 'saryarka', changed: 1 }]);
    // /polls again shows what they chose.
    await hook({ update_id: updateIds++, ...messageUpdate(fake, p, { text: '/polls' }) });
    await waitFor('the reminder of the answer', async () => fake.sentTo(p.id).find((s) => s.text.includes('«Lit (kk)»')));
  });

  it('refuses answers to a closed poll, on the portal and in the bot, and shows its results to anyone', async () => {
    const id = await openPoll();
    for (let i = 0; i < 6; i++) expect((await answer(id, { option: '1', district: 'almaty', respondent: token() })).status).toBe(200);
    const closed = await c.api(`/api/v1/polls/${id}/close`, { token: analyst, method: 'POST' });
    expect(closed.body).toMatchObject({ status: 'closed', phase: 'closed' });
    expect((await answer(id, { option: '2', respondent: token() })).status).toBe(409);
    const p: Person = { id: 7302, first_name: 'Resident', language_code: 'ru' };
    await hook({ update_id: updateIds++, ...callbackUpdate(p, `poll:${id}:2`, 1) });
    await waitFor('the refusal', async () => fake.callsOf('answerCallbackQuery').find((q) => q.params.text === 'Этот опрос уже закрыт.'));
    expect(await rows(id)).toHaveLength(6);
    const pub = await c.api(`/api/v1/public/polls/${id}/results`);
    expect(pub.status).toBe(200);
    // 6 chose "Yes", none the others: nothing small to hide.
    expect(pub.body).toMatchObject({
      n: 6,
      enough: true,
      options: [
        { id: '1', count: 6 },
        { id: '2', count: 0 },
        { id: '3', count: 0 },
      ],
    });
  });

  it('gives results equal to the survey estimator on the same answers, raw and weighted by district', async () => {
    const id = await openPoll();
    const plan: [string, string | null][] = [
      ...Array.from({ length: 7 }, () => ['1', 'nura'] as [string, string]),
      ...Array.from({ length: 3 }, () => ['2', 'nura'] as [string, string]),
      ...Array.from({ length: 2 }, () => ['1', 'saryarka'] as [string, string]),
      ...Array.from({ length: 6 }, () => ['2', 'saryarka'] as [string, string]),
      ['3', null],
      ['2', 'baikonur'],
    ];
    for (const [option, district] of plan) expect((await answer(id, { option, district, respondent: token() })).status).toBe(200);
    const r = await c.api(`/api/v1/polls/${id}/results`, { token: analyst });
    expect(r.status, r.text).toBe(200);
    const expected = estimateShares(
      (await rows(id)).map((a) => ({ answer: a.option_id, district: a.district, channel: a.channel })),
      { answers: ['1', '2', '3'], districtPopulation: districtPopulation(c.ctx.city) },
    );
    expect(r.body.n).toBe(20);
    expect(r.body.answers).toEqual(expected.answers);
    expect(r.body.effective_n).toBe(expected.effective_n);
    expect(r.body.weighting).toBe('district');
    // Weighting moves the share: Nura (mostly "Yes") and Saryarka (mostly "No") are weighted to their population.
    expect(r.body.answers['1'].weighted.share).not.toBe(r.body.answers['1'].raw.share);
    expect(r.body.caveat.kk).toMatch(/ботта немесе порталда/);
    expect(r.body.caveat.ru).not.toMatch(/соцсетях/);
  });

  it('exports aggregates only: no respondent keys, no times, and counts under 5 hidden', async () => {
    const id = await openPoll();
    const plan: [string, string][] = [
      ...Array.from({ length: 8 }, () => ['1', 'nura'] as [string, string]),
      ['2', 'nura'],
      ['2', 'esil'],
      ['3', 'esil'],
    ];
    for (const [option, district] of plan) await answer(id, { option, district, respondent: token() });
    const r = await fetch(`${c.url}/api/v1/polls/${id}/export.csv`, { headers: { authorization: `Bearer ${analyst}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = (await r.text()).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    for (const a of await rows(id)) expect(csv).not.toContain(a.respondent_key);
    expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const cells = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [EXPORT_COLUMNS[i], v])));
    const city = cells.filter((x) => x.row === 'city');
    // 8 "Yes", 2 "No", 1 "Not sure": the two small ones are hidden, "Yes" (and its estimate) shown.
    expect(city.map((x) => [x.option, x.answers, x.hidden])).toEqual([
      ['1', '8', 'false'],
      ['2', '', 'true'],
      ['3', '', 'true'],
    ]);
    expect(Number(city[0]?.weighted_share)).toBeGreaterThan(0);
    expect(city[1]?.raw_share).toBe('');
    // Esil has 2 answers in all: nothing of it is shown. Nura's single "No" is hidden, and so is its 8 "Yes" (the
    // only other count, from which the hidden one would follow); its 0 "Not sure" reveals nobody.
    expect(cells.filter((x) => x.district === 'esil').every((x) => x.answers === '' && x.hidden === 'true')).toBe(true);
    expect(cells.filter((x) => x.district === 'nura').map((x) => x.answers)).toEqual(['', '', '0']);
  });

  it('lets admin, supervisor and operator manage polls, officials read them, and nobody else', async () => {
    const id = await openPoll();
    const official = await c.login('akim@qala.demo');
    const executor = await c.login('executor.water@qala.demo');
    const supervisor = await c.login('supervisor@qala.demo');
    expect((await c.api('/api/v1/polls', { token: official })).status).toBe(200);
    expect((await c.api(`/api/v1/polls/${id}/results`, { token: official })).status).toBe(200);
    expect((await c.api('/api/v1/polls', { token: official, body: POLL })).status).toBe(403);
    expect((await c.api(`/api/v1/polls/${id}/close`, { token: official, method: 'POST' })).status).toBe(403);
    expect((await c.api('/api/v1/polls', { token: executor })).status).toBe(403);
    expect((await c.api(`/api/v1/polls/${id}/export.csv`, { token: executor })).status).toBe(403);
    expect((await c.api('/api/v1/polls')).status).toBe(401);
    expect((await c.api('/api/v1/polls', { token: supervisor, body: POLL })).status).toBe(201);
    expect((await c.api(`/api/v1/polls/${id}/close`, { token: supervisor, method: 'POST' })).status).toBe(200);
  });

  it('limits how many new portal respondents one address brings to a poll in an hour', async () => {
    const id = await openPoll();
    const kept = token();
    for (let i = 0; i < 30; i++) expect((await answer(id, { option: '1', respondent: i === 0 ? kept : token() })).status).toBe(200);
    expect((await answer(id, { option: '1', respondent: token() })).status).toBe(429);
    // Someone who already answered may still change their answer.
    expect((await answer(id, { option: '2', respondent: kept })).status).toBe(200);
  });
});

describe('small-cell suppression', () => {
  it('hides counts under 5, and the next smallest when only one would be hidden', () => {
    expect(suppressed([10, 8, 6])).toEqual([false, false, false]);
    expect(suppressed([10, 8, 2])).toEqual([false, true, true]);
    expect(suppressed([10, 3, 2])).toEqual([false, true, true]);
    expect(suppressed([10, 0, 7])).toEqual([false, false, false]);
  });
});
