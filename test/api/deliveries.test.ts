// What the city sent and whether it arrived: each ticket card lists its deliveries; operators see the failed ones
// across the centre and send one again once its cause is fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
let operator: string;

beforeAll(async () => {
  c = await startTestCentre();
  operator = await c.login('operator1@qala.demo');
});
afterAll(() => c?.close());

describe('deliveries', () => {
  it('shows on the ticket card what was sent to the resident and whether it arrived', async () => {
    const filed = await c.api('/api/v1/appeals', { body: { text: 'Нет света в подъезде, Туран 37' } });
    const deadline = Date.now() + 20_000;
    let card = await c.api(`/api/v1/tickets/${filed.body.number}`, { token: operator });
    while (card.body.deliveries[0]?.status !== 'sent' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      card = await c.api(`/api/v1/tickets/${filed.body.number}`, { token: operator });
    }
    expect(card.body.deliveries).toHaveLength(1);
    expect(card.body.deliveries[0]).toMatchObject({ channel: 'web', status: 'sent', attempts: 1, last_error: null, template: 'acknowledgement' });
  });

  it('lists failed deliveries with the last error, and sends one again on request (audited)', async () => {
    const t = await c.ctx.db.selectFrom('tickets').select(['id', 'number']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const row = await c.ctx.db
      .insertInto('outbox')
      .values({
        idempotency_key: 'test:failed-delivery',
        channel: 'nowhere',
        ticket_id: t.id,
        target: JSON.stringify({}),
        payload: JSON.stringify({ text: 'Ваше обращение решено', language: 'ru' }),
        attempts: 12,
        next_attempt_at: new Date(Date.now() + 3_600_000),
        last_error: 'platform said 190: token expired',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await c.ctx.db.updateTable('outbox').set({ status: 'failed' }).where('id', '=', row.id).execute();
    const list = await c.api('/api/v1/deliveries', { token: operator });
    expect(list.status).toBe(200);
    expect(list.body.deliveries.find((d: { id: number }) => d.id === row.id)).toMatchObject({
      ticket: t.number,
      last_error: 'platform said 190: token expired',
    });
    const executor = await c.login('executor.water@qala.demo');
    expect((await c.api('/api/v1/deliveries', { token: executor })).status).toBe(403);

    const retry = await c.api(`/api/v1/deliveries/${row.id}/retry`, { token: operator, method: 'POST', body: {} });
    expect(retry.status).toBe(200);
    expect((await c.api(`/api/v1/deliveries/${row.id}/retry`, { token: operator, method: 'POST', body: {} })).status).toBe(404); // no longer failed
    // The relay takes it again; this channel has no deliverer, so the new attempt fails with a clear reason.
    const deadline = Date.now() + 20_000;
    let again = await c.ctx.db.selectFrom('outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    // The relay claims the row (an attempt counted) before it tries: wait for the attempt's outcome, not the claim.
    while ((again.attempts === 0 || again.last_error === 'platform said 190: token expired') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      again = await c.ctx.db.selectFrom('outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    }
    expect(again).toMatchObject({ status: 'pending', attempts: 1, last_error: 'no deliverer for channel nowhere' });
    const audit = await c.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'delivery.retry').execute();
    expect(audit).toEqual([{ action: 'delivery.retry', entity_id: String(row.id) }]);
  });
});
