// The message's journey is durable: stored first, once; replayed stages change nothing; the outbox retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receive } from '../src/inbox/intake.js';
import { OutboxRelay } from '../src/outbox/relay.js';
import { processNow } from '../src/pipeline.js';
import { routeMessage } from '../src/routing/stage.js';
import { triageMessage } from '../src/triage/stage.js';
import { startTestCentre, type TestCentre } from './centre.js';

let c: TestCentre;
beforeAll(async () => {
  c = await startTestCentre({ QALA_ROLE: 'api' }, { demo: false }); // no background workers: the test drives the stages
});
afterAll(() => c?.close());

const counts = async () => {
  const n = async (t: 'messages' | 'tickets' | 'audit_log' | 'outbox' | 'message_triage') =>
    Number(
      (
        await c.ctx.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    messages: await n('messages'),
    tickets: await n('tickets'),
    audit: await n('audit_log'),
    outbox: await n('outbox'),
    triage: await n('message_triage'),
  };
};

const inbound = (externalId: string, text = 'Прорвало трубу на улице Бейбитшилик 25, вода заливает дорогу') => ({
  channel: 'web',
  externalId,
  text,
  raw: { source: 'test' },
});

describe('inbox', () => {
  it('stores the same message delivered twice as one message', async () => {
    const before = await counts();
    const a = await receive(c.ctx, inbound('dup-1'));
    const b = await receive(c.ctx, inbound('dup-1'));
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ messageId: a.messageId, duplicate: true });
    expect((await counts()).messages - before.messages).toBe(1);
  });

  it('stores two deliveries racing each other once', async () => {
    const before = await counts();
    const [a, b] = await Promise.all([receive(c.ctx, inbound('race-1')), receive(c.ctx, inbound('race-1'))]);
    expect(a.messageId).toBe(b.messageId);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect((await counts()).messages - before.messages).toBe(1);
  });

  it('stores the message before anything downstream can fail', async () => {
    const r = await receive(c.ctx, inbound('stored-first'));
    const m = await c.ctx.db.selectFrom('messages').selectAll().where('id', '=', r.messageId).executeTakeFirstOrThrow();
    expect(m.stage).toBe('received');
    expect(m.text).toContain('Бейбитшилик');
  });
});

describe('replaying stages', () => {
  it('changes nothing the second (or third) time: one triage, one ticket, one audit row, one acknowledgement', async () => {
    const { messageId } = await receive(c.ctx, inbound('replay-1'));
    await processNow(c.ctx, messageId);
    const once = await counts();
    await triageMessage(c.ctx, messageId);
    await routeMessage(c.ctx, messageId);
    await processNow(c.ctx, messageId);
    await Promise.all([routeMessage(c.ctx, messageId), routeMessage(c.ctx, messageId)]);
    expect(await counts()).toEqual(once);
  });

  it('opens exactly one ticket when two workers route the same message at once', async () => {
    const { messageId } = await receive(c.ctx, inbound('concurrent-route'));
    await triageMessage(c.ctx, messageId);
    const opened = async () =>
      Number(
        (
          await c.ctx.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('action', '=', 'ticket.opened')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = { ...(await counts()), opened: await opened() };
    await Promise.all([routeMessage(c.ctx, messageId), routeMessage(c.ctx, messageId), routeMessage(c.ctx, messageId)]);
    const after = { ...(await counts()), opened: await opened() };
    expect(after.tickets - before.tickets).toBe(1);
    // The same text as earlier tests also joins their incident (audited apart); the ticket is opened once.
    expect(after.opened - before.opened).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
  });
});

describe('outbox relay', () => {
  it('retries a failed delivery with backoff and delivers it once', async () => {
    const { messageId } = await receive(c.ctx, inbound('relay-1'));
    await processNow(c.ctx, messageId);
    const row = await c.ctx.db.selectFrom('outbox').select(['id']).where('status', '=', 'pending').orderBy('id', 'desc').executeTakeFirstOrThrow();
    let calls = 0;
    const delivered: number[] = [];
    const relay = new OutboxRelay(
      c.ctx.db,
      {
        web: {
          async deliver(r) {
            calls++;
            if (calls === 1) throw new Error('platform unavailable');
            delivered.push(r.id);
          },
        },
      },
      c.ctx.log,
    );
    // Only our row is due; others stay out of the way.
    await c.ctx.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(Date.now() + 3_600_000) })
      .where('id', '!=', row.id)
      .where('status', '=', 'pending')
      .execute();
    expect(await relay.runOnce()).toBe(1);
    let r = await c.ctx.db.selectFrom('outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(r.status).toBe('pending');
    expect(r.last_error).toContain('platform unavailable');
    expect(r.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
    expect(await relay.runOnce()).toBe(0); // not due yet
    await c.ctx.db.updateTable('outbox').set({ next_attempt_at: new Date() }).where('id', '=', row.id).execute();
    expect(await relay.runOnce()).toBe(1);
    r = await c.ctx.db.selectFrom('outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(r.status).toBe('sent');
    expect(r.attempts).toBe(2);
    expect(delivered).toEqual([row.id]);
    expect(await relay.runOnce()).toBe(0);
  });
});

describe('the same problem reported again', () => {
  it('points a repeat at the earlier message, across channels and languages, and leaves a different place alone', async () => {
    const first = await receive(c.ctx, {
      channel: 'phone',
      externalId: 'rep-1',
      text: 'Прорвало трубу, нет воды во всём доме, улица Кенесары 40',
      raw: {},
    });
    await processNow(c.ctx, first.messageId);
    const again = await receive(c.ctx, { channel: 'web', externalId: 'rep-2', text: 'Кенесары 40: трубу прорвало, воды нет во всём доме!', raw: {} });
    await processNow(c.ctx, again.messageId);
    const kk = await receive(c.ctx, { channel: 'web', externalId: 'rep-3', text: 'Кенесары көшесі 40 үйде су жоқ', raw: {} });
    await processNow(c.ctx, kk.messageId);
    const elsewhere = await receive(c.ctx, {
      channel: 'web',
      externalId: 'rep-4',
      text: 'Прорвало трубу, нет воды во всём доме, улица Сейфуллина 12',
      raw: {},
    });
    await processNow(c.ctx, elsewhere.messageId);
    const dup = async (id: number) =>
      await c.ctx.db
        .selectFrom('message_triage')
        .select(['duplicate_of', 'duplicate', 'dup_signature'])
        .where('message_id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await dup(first.messageId)).duplicate_of).toBeNull();
    const second = await dup(again.messageId);
    expect(second.duplicate_of).toBe(first.messageId);
    expect(second.duplicate).toMatchObject({ sameCategory: true });
    expect(second.dup_signature).toMatch(/^mh1:/);
    expect([first.messageId, again.messageId]).toContain((await dup(kk.messageId)).duplicate_of);
    expect((await dup(elsewhere.messageId)).duplicate_of).toBeNull();
  });
});
