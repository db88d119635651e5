// Analytics rollups over a real centre: messages through the real pipeline, redelivered, re-triaged and re-routed,
// an operator's correction, history loaded behind the pipeline's back and caught up by the sweep; after all of it
// the rollups equal a direct recount, the API answers from them, the CSV export suppresses small cells, and only
// the roles with the `analytics` permission may look.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsCatchUpSweep, verifyRollups } from '../../src/analytics/rollup.js';
import { receive } from '../../src/inbox/intake.js';
import { processNow } from '../../src/pipeline.js';
import { routeMessage } from '../../src/routing/stage.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { triageMessage } from '../../src/triage/stage.js';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
let operator: string;
const offset = () => c.ctx.city.calendar.utcOffsetMinutes;
// A day of its own (Astana time), so the demo's appeals (received today) stay out of the figures asked.
const DAY_FROM = '2025-05-10T00:00:00+05:00';
const DAY_TO = '2025-05-11T00:00:00+05:00';
const at = (h: number, m = 0) => new Date(Date.UTC(2025, 4, 10, h - 5, m));
const range = `from=${encodeURIComponent(DAY_FROM)}&to=${encodeURIComponent(DAY_TO)}`;

beforeAll(async () => {
  c = await startTestCentre();
  operator = await c.login('operator1@qala.demo');
});
afterAll(() => c?.close());

const telegram = (n: number, text: string, user: string, when: Date) => ({
  channel: 'telegram',
  externalId: `analytics-${n}`,
  text,
  sender: { name: 'Житель', channelUserId: user },
  raw: {},
  receivedAt: when,
});

/** History loaded straight into the tables (an import before this feature): nothing counts it but the sweep. */
async function history(n: number, o: { user: string; district: string; category: string; hour: number; sentiment?: string }) {
  const r = await c.ctx.db.insertInto('residents').values({ name: o.user }).returning('id').executeTakeFirstOrThrow();
  const m = await c.ctx.db
    .insertInto('messages')
    .values({
      channel: 'import',
      external_id: `hist-${n}`,
      direction: 'in',
      resident_id: r.id,
      text: 'архив',
      received_at: at(o.hour),
      stage: 'done',
      raw: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await c.ctx.db
    .insertInto('message_triage')
    .values({
      message_id: m.id,
      engine: 'import',
      language: 'kk',
      kind: 'complaint',
      category: o.category,
      confidence: 1,
      sentiment: o.sentiment ?? 'negative',
      urgency: 'normal',
      address: null,
      lat: null,
      lon: null,
      district: o.district,
      explanation: '{}',
    })
    .execute();
}

describe('counting everything once', () => {
  it('equals a direct recount after redeliveries, a replayed triage, routing run twice and a category correction', async () => {
    const texts = [
      'Нет горячей воды, улица Кенесары 40, Есиль',
      'Яма на дороге у дома Туран 55',
      'Спасибо за быстрый ремонт лифта!',
      'Когда включат отопление в Сарыарке?',
    ];
    const ids: number[] = [];
    for (const [i, text] of texts.entries()) {
      const msg = telegram(i, text, `tg-user-${i}`, at(9 + i));
      const first = await receive(c.ctx, msg);
      if (i === 0) {
        // The triage job is delivered twice (at-least-once queue), the second time as if the first had not been
        // marked: the stage runs again from the start; then routing runs twice.
        await triageMessage(c.ctx, first.messageId);
        await c.ctx.db.updateTable('messages').set({ stage: 'received' }).where('id', '=', first.messageId).execute();
        await triageMessage(c.ctx, first.messageId);
        await routeMessage(c.ctx, first.messageId);
        await routeMessage(c.ctx, first.messageId);
      }
      await processNow(c.ctx, first.messageId);
      const again = await receive(c.ctx, msg); // the platform redelivers the webhook
      expect(again).toEqual({ messageId: first.messageId, duplicate: true });
      await processNow(c.ctx, again.messageId);
      ids.push(first.messageId);
    }
    const counted = await c.ctx.db.selectFrom('analytics_counted').select('message_id').where('message_id', 'in', ids).execute();
    expect(counted).toHaveLength(4);
    expect(await verifyRollups(c.ctx.db, offset())).toEqual([]);

    // The operator corrects the first appeal's category and district: its count moves in the same transaction.
    const ticket = await c.ctx.db
      .selectFrom('tickets')
      .select(['number', 'category'])
      .where('source_message_id', '=', ids[0] as number)
      .executeTakeFirstOrThrow();
    const category = ticket.category === 'ROAD' ? 'HOTW' : 'ROAD';
    const r = await c.api(`/api/v1/tickets/${ticket.number}/corrections`, { token: operator, body: { category, district: 'baikonur' } });
    expect(r.status).toBe(200);
    const cell = await c.ctx.db
      .selectFrom('analytics_counted')
      .select(['category', 'district'])
      .where('message_id', '=', ids[0] as number)
      .executeTakeFirstOrThrow();
    expect(cell).toEqual({ category, district: 'baikonur' });
    expect(await verifyRollups(c.ctx.db, offset())).toEqual([]);

    const v = await c.api(`/api/v1/analytics/volume?${range}&bucket=hour`, { token: operator });
    expect(v.status).toBe(200);
    expect(v.body.totals.messages).toBe(4);
    expect(v.body.series.map((s: { bucket: string }) => s.bucket)).toEqual(['09', '10', '11', '12'].map((h) => `2025-05-10T${h}:00:00+05:00`));
    const moved = await c.api(`/api/v1/analytics/volume/by/district?${range}&category=${category}&lang=kk`, { token: operator });
    expect(moved.body.rows.find((x: { value: string }) => x.value === 'baikonur')).toMatchObject({ messages: 1, name: 'Байқоңыр ауданы' });
  });

  it('catches up history loaded before the feature, once, however often the sweep runs', async () => {
    const before = (await c.api(`/api/v1/analytics/volume?${range}`, { token: operator })).body.totals.messages;
    // Esil, heating: six residents (shown); Almaty, lifts: two residents (suppressed in exports).
    for (let i = 0; i < 6; i++)
      await history(i, { user: `h${i}`, district: 'esil', category: 'HEAT', hour: 14, sentiment: i < 4 ? 'negative' : 'neutral' });
    for (let i = 6; i < 8; i++) await history(i, { user: `h${i}`, district: 'almaty', category: 'LIFT', hour: 15 });
    const now = c.ctx.now();
    const first = await sweepOnce(c.ctx, [analyticsCatchUpSweep], now);
    expect(first['analytics-catch-up']).toBeGreaterThanOrEqual(8);
    expect(await sweepOnce(c.ctx, [analyticsCatchUpSweep], now)).toEqual({ 'analytics-catch-up': 0 });
    expect(await verifyRollups(c.ctx.db, offset())).toEqual([]);
    const after = await c.api(`/api/v1/analytics/volume?${range}`, { token: operator });
    expect(after.body.totals.messages).toBe(before + 8);
    expect(after.body.series).toEqual([expect.objectContaining({ bucket: '2025-05-10', messages: before + 8 })]);
  });
});

describe('the API answers from the rollups', () => {
  it('filters on every dimension and gives the share negative', async () => {
    const r = await c.api(`/api/v1/analytics/volume/by/sentiment?${range}&district=esil&category=HEAT&channel=import&language=kk&kind=complaint`, {
      token: operator,
    });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([
      expect.objectContaining({ value: 'negative', messages: 4 }),
      expect.objectContaining({ value: 'neutral', messages: 2 }),
    ]);
    const t = await c.api(`/api/v1/analytics/volume?${range}&district=esil&category=HEAT&sentiment=negative,neutral`, { token: operator });
    expect(t.body.totals).toMatchObject({ messages: 6, negative: 4, neutral: 2, negative_share: 0.667 });
    const bad = await c.api(`/api/v1/analytics/volume/by/resident?${range}`, { token: operator });
    expect(bad.status).toBe(400);
  });

  it('exports CSV with cells of fewer than five residents suppressed', async () => {
    const r = await c.api(`/api/v1/analytics/volume.csv?${range}&by=district&category=HEAT,LIFT&lang=ru`, { token: operator });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('bucket,district,name,messages,negative,residents,suppressed');
    expect(lines).toContain('2025-05-10,esil,район Есиль,6,4,6,false');
    expect(lines.find((l) => l.startsWith('2025-05-10,almaty,'))).toMatch(/^2025-05-10,almaty,[^,]+,,,,true$/);
    expect(r.text).not.toMatch(/Житель|tg-user|h[0-9]/);
  });
});

describe('who may look', () => {
  it('lets operators, supervisors, officials and admins see analytics; refuses executors and anonymous callers', async () => {
    const path = `/api/v1/analytics/volume?${range}`;
    for (const email of ['supervisor@qala.demo', 'akim@qala.demo', 'admin@qala.demo'])
      expect((await c.api(path, { token: await c.login(email) })).status).toBe(200);
    expect((await c.api(path, { token: await c.login('executor.water@qala.demo') })).status).toBe(403);
    expect((await c.api('/api/v1/analytics/volume.csv', { token: await c.login('head.water@qala.demo') })).status).toBe(403);
    expect((await c.api(path)).status).toBe(401);
  });
});

describe('reads no messages', () => {
  it('answers the same after the messages table is out of reach', async () => {
    const a = await c.api(`/api/v1/analytics/volume/by/district?${range}`, { token: operator });
    await sql`ALTER TABLE messages RENAME TO messages_away`.execute(c.ctx.db);
    try {
      const b = await c.api(`/api/v1/analytics/volume/by/district?${range}`, { token: operator });
      expect(b.status).toBe(200);
      expect(b.body).toEqual(a.body);
    } finally {
      await sql`ALTER TABLE messages_away RENAME TO messages`.execute(c.ctx.db);
    }
  });
});
