// Spikes and topics end to end on a real centre and database: a burst of appeals about one problem in one district,
// against weeks of ordinary history, makes one alert, once, however often the sweep runs, with the messages behind
// it; the supervisors hear of it by the fake Telegram in their own language; an operator makes an incident of its
// tickets; the topics API finds the burst's theme with quotes whose personal data is masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSpikes, spikeSweep } from '../../src/analytics/spike-sweep.js';
import { FakeTelegram } from '../../src/demo/fakes/telegram.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { processed, startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SUPERVISOR_CHAT = 8301;
const HOUR = 3_600_000;
let fake: FakeTelegram;
let c: TestCentre;
const burst: number[] = [];
let cell: { category: string; district: string };

async function appeal(text: string, phone: string): Promise<number> {
  const r = await c.api('/api/v1/appeals', { body: { text, contact: { name: 'Айжан Сарсенова', phone } } });
  expect(r.status, r.text).toBe(201);
  const row = await c.ctx.db
    .selectFrom('tickets as t')
    .innerJoin('ticket_messages as tm', 'tm.ticket_id', 't.id')
    .select('tm.message_id')
    .where('t.number', '=', r.body.number)
    .executeTakeFirstOrThrow();
  await processed(c, Number(row.message_id));
  return Number(row.message_id);
}

/** Weeks of ordinary history in the burst's cell and a neighbour: about one message a day at varied hours. */
async function seedHistory(now: Date) {
  const rows: { at: Date; category: string; district: string }[] = [];
  for (let day = 1; day <= 56; day++)
    for (const other of [false, true])
      rows.push({
        at: new Date(now.getTime() - day * 24 * HOUR - ((day * 7 + (other ? 5 : 0)) % 12) * HOUR),
        category: cell.category,
        district: other ? `${cell.district}-x` : cell.district,
      });
  for (const [i, r] of rows.entries()) {
    const { id } = await c.ctx.db
      .insertInto('messages')
      .values({ channel: 'web', external_id: `history-${i}`, direction: 'in', text: 'Слабый напор воды вечером', received_at: r.at, stage: 'done' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await c.ctx.db
      .insertInto('message_triage')
      .values({
        message_id: id,
        engine: 'history',
        language: 'ru',
        kind: 'complaint',
        category: r.category,
        confidence: 0.9,
        sentiment: 'negative',
        urgency: 'normal',
        address: null,
        lat: null,
        lon: null,
        district: r.district,
        dup_signature: null,
        explanation: JSON.stringify({}),
      })
      .execute();
  }
}

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  c = await startTestCentre({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_URL: fake.url, TELEGRAM_POLLING: false }, { demo: true });
  const sup = await c.ctx.db.selectFrom('users').select('id').where('email', '=', 'supervisor@qala.demo').executeTakeFirstOrThrow();
  await c.ctx.db
    .insertInto('staff_telegram')
    .values({ user_id: sup.id, chat_id: String(SUPERVISOR_CHAT), linked_at: new Date() })
    .execute();
  const texts = [
    'Прорыв трубы горячей воды на Кенесары 40, кипяток течёт по двору, кв. 12, звоните +77011234567',
    'Кенесары 40: прорыв трубы горячей воды, кипяток во дворе',
    'Прорыв трубы горячей воды у дома Кенесары 40, кипяток заливает подвал',
    'Кенесары 40, прорыв трубы горячей воды, течёт кипяток, опасно детям',
    'Во дворе Кенесары 40 прорыв трубы горячей воды, озеро кипятка',
    'Прорыв трубы горячей воды, Кенесары 40, кипяток хлещет из-под асфальта',
  ];
  for (const [i, text] of texts.entries()) burst.push(await appeal(text, `+7701555000${i}`));
  const t = await c.ctx.db
    .selectFrom('message_triage')
    .select(['category', 'district'])
    .where('message_id', '=', burst[0] as number)
    .executeTakeFirstOrThrow();
  expect(t.category).toBeTruthy();
  expect(t.district).toBeTruthy();
  cell = { category: t.category as string, district: t.district as string };
  await seedHistory(new Date());
}, 120_000);
afterAll(async () => {
  await c?.close();
  await fake?.stop();
});

const alerts = () => c.ctx.db.selectFrom('spike_alerts').selectAll().orderBy('id').execute();

describe('a burst of appeals', () => {
  it('makes one alert, once, however often the sweep runs', async () => {
    const now = new Date(Date.now() + 60_000);
    expect(await detectSpikes(c.ctx, now)).toBe(1);
    await sweepOnce(c.ctx, [spikeSweep], now);
    await Promise.all([
      sweepOnce(c.ctx, [spikeSweep], new Date(now.getTime() + 60_000)),
      sweepOnce(c.ctx, [spikeSweep], new Date(now.getTime() + 90_000)),
    ]);
    // An hour later the burst is still in the window, but the cooldown holds.
    await sweepOnce(c.ctx, [spikeSweep], new Date(now.getTime() + HOUR));
    const found = (await alerts()).filter((a) => a.category === cell.category && a.district === cell.district);
    expect(found).toHaveLength(1);
    const [a] = found;
    expect(a?.observed).toBeGreaterThanOrEqual(6);
    expect(a?.expected).toBeLessThan(2);
    expect(a?.p_value).toBeLessThan(c.ctx.city.analytics.spikes.p_value);
    expect(a?.message_ids.map(Number)).toEqual(expect.arrayContaining(burst));
    const audit = await c.ctx.db.selectFrom('audit_log').select('data').where('action', '=', 'spike.detected').execute();
    expect(audit).toHaveLength((await alerts()).length);
  });

  it('leaves the ordinary neighbour quiet', async () => {
    expect((await alerts()).some((a) => a.district === `${cell.district}-x`)).toBe(false);
  });

  it('is announced to the supervisors in their language, without personal data', async () => {
    const sent = await waitFor(
      'the supervisor notice',
      () => fake.sentTo(SUPERVISOR_CHAT).filter((m) => m.text.includes('Күрт көбею')).length > 0 && fake.sentTo(SUPERVISOR_CHAT),
    );
    const notice = sent.find((m) => m.text.includes('Күрт көбею'));
    expect(notice?.text).toMatch(/p = /);
    expect(notice?.text).not.toMatch(/77011234567|Сарсенова/);
  });

  it('is listed with its numbers explained and its messages masked', async () => {
    const token = await c.login('operator1@qala.demo');
    const r = await c.api('/api/v1/analytics/spikes?lang=en', { token });
    expect(r.status, r.text).toBe(200);
    const a = r.body.alerts.find((x: { district: string }) => x.district === cell.district);
    expect(a.explanation).toMatch(/messages in 3 h against .* expected/);
    expect(a.messages.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(a.messages)).not.toContain('77011234567');
    expect(a.tickets.length).toBeGreaterThanOrEqual(6);
  });

  it('becomes an incident of its tickets at an operator’s word, once', async () => {
    const token = await c.login('operator1@qala.demo');
    const [a] = (await alerts()).filter((x) => x.district === cell.district);
    const r = await c.api(`/api/v1/analytics/spikes/${a?.id}/incident`, { token, method: 'POST' });
    expect(r.status, r.text).toBe(201);
    const incident = await c.api(`/api/v1/incidents/${r.body.incident}`, { token });
    expect(incident.status).toBe(200);
    expect(incident.body.children.length).toBeGreaterThanOrEqual(6);
    const again = await c.api(`/api/v1/analytics/spikes/${a?.id}/incident`, { token, method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('is not for those without analytics', async () => {
    const token = await c.login('executor.water@qala.demo');
    expect((await c.api('/api/v1/analytics/spikes', { token })).status).toBe(403);
  });
});

describe('topics', () => {
  it('find the burst as a theme, with quotes without personal data', async () => {
    const token = await c.login('operator1@qala.demo');
    const to = new Date(Date.now() + HOUR).toISOString();
    const from = new Date(Date.now() - 6 * HOUR).toISOString();
    const r = await c.api(`/api/v1/analytics/topics?from=${from}&to=${to}`, { token });
    expect(r.status, r.text).toBe(200);
    const theme = r.body.themes.find((t: { phrases: { phrase: string }[] }) => t.phrases.some((p) => /труб/.test(p.phrase)));
    expect(theme, JSON.stringify(r.body.themes.map((t: { label: string }) => t.label))).toBeTruthy();
    expect(theme.quotes).toHaveLength(3);
    expect(theme.trend.reduce((s: number, n: number) => s + n, 0)).toBeGreaterThanOrEqual(3);
    const all = JSON.stringify(r.body);
    expect(all).not.toContain('77011234567');
    expect(all).not.toMatch(/кв\. 12/);
  });
});
