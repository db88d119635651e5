// Spike alerts on the live stream (GET /api/v1/events): a burst planted in one category × district, once the spikes
// sweep runs, reaches a supervisor's stream (and the akim's, who follows the situation centre) as a `spike` event
// with its counts and window and no personal data; an executor's stream never carries it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spikeSweep } from '../../src/analytics/spike-sweep.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { startTestCentre, storeTriaged, type TestCentre } from '../centre.js';
import { readEvents as readSse } from '../sse.js';

const HOUR = 3_600_000;
const CELL = { category: 'SEWR', district: 'saraishyk' };
const PHONE = '+7 701 777 12 34';
let c: TestCentre;
const tokens: Record<'supervisor' | 'akim' | 'executor', string> = { supervisor: '', akim: '', executor: '' };

type Ev = { id: number; type: string; number: string; action: string; [k: string]: unknown };

const readEvents = (token: string, until: (events: Ev[]) => boolean, opts: Parameters<typeof readSse>[3] = {}) =>
  readSse<Ev>(c.url, token, until, { ms: 20_000, ...opts });

/** Twelve messages from twelve residents in the last hour, triaged into one cell that has no history. */
async function plantBurst(now: Date) {
  const db = c.ctx.db;
  for (let i = 0; i < 12; i++) {
    const resident = await db.insertInto('residents').values({ name: 'Айгерім Сырымова', phone: PHONE }).returning('id').executeTakeFirstOrThrow();
    await storeTriaged(
      db,
      {
        channel: 'telegram',
        external_id: `spike-events-${i}`,
        text: `Канализация течёт во двор, Сарайшык 5, кв. ${i + 1}, звоните ${PHONE}`,
        resident_id: resident.id,
        received_at: new Date(now.getTime() - HOUR + i * 60_000),
      },
      { ...CELL, language: 'ru' },
    );
  }
}

const lastAuditId = async () =>
  Number(
    (
      await c.ctx.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirstOrThrow()
    ).max ?? 0,
  );

beforeAll(async () => {
  c = await startTestCentre();
  tokens.supervisor = await c.login('supervisor@qala.demo');
  tokens.akim = await c.login('akim@qala.demo');
  tokens.executor = await c.login('executor.water@qala.demo');
}, 120_000);
afterAll(async () => {
  await c?.close();
});

describe('spike alerts on the live stream', () => {
  let before = 0;
  let spike: Ev | undefined;

  it('reaches a supervisor’s stream once the sweep finds the burst, with its counts and no personal data', async () => {
    const now = new Date();
    await plantBurst(now);
    before = await lastAuditId();
    const isSpike = (e: Ev) => e.type === 'spike' && e.category === CELL.category && e.district === CELL.district;
    const events = await readEvents(tokens.supervisor, (es) => es.some(isSpike), {
      started: async () => {
        const found = await sweepOnce(c.ctx, [spikeSweep], now);
        expect(found.spikes).toBeGreaterThanOrEqual(1);
      },
    });
    spike = events.find(isSpike);
    const alert = await c.ctx.db
      .selectFrom('spike_alerts')
      .selectAll()
      .where('category', '=', CELL.category)
      .where('district', '=', CELL.district)
      .executeTakeFirstOrThrow();
    expect(spike).toMatchObject({
      type: 'spike',
      number: String(alert.id),
      action: 'spike.detected',
      status: null,
      organisation: null,
      spike: {
        id: Number(alert.id),
        observed: 12,
        expected: Math.round(alert.expected * 100) / 100,
        window_from: new Date(alert.window_start).toISOString(),
        window_to: new Date(alert.window_end).toISOString(),
      },
    });
    expect(spike?.id).toBeGreaterThan(before);
    expect(JSON.stringify(events)).not.toMatch(/Айгерім|777 12 34|Канализация|кв\./);
  });

  it('reaches the akim, who follows the situation centre, when resuming after Last-Event-ID', async () => {
    const events = await readEvents(tokens.akim, (es) => es.some((e) => e.id === spike?.id), { lastEventId: String(before) });
    expect(events.find((e) => e.id === spike?.id)).toMatchObject({ type: 'spike', number: spike?.number });
  });

  it('never reaches an executor: a later change of their own ticket arrives, the alert before it does not', async () => {
    // A water appeal routed to the executor's organisation after the alert: once it is on their stream, everything
    // before it in the audit log has been judged, so the alert's absence is not a matter of waiting longer.
    const r = await c.api('/api/v1/appeals', { body: { text: 'Су жоқ, Кенесары көшесі 40' } });
    expect(r.status, r.text).toBe(201);
    const mine = r.body.number as string;
    expect(r.body.organisation?.id).toBe('astana-su-arnasy');
    const events = await readEvents(tokens.executor, (es) => es.some((e) => e.number === mine), { lastEventId: String(before) });
    expect(events.some((e) => e.number === mine)).toBe(true);
    expect(events.some((e) => e.type === 'spike')).toBe(false);
    expect(events.every((e) => e.id > before)).toBe(true);
  });
});
