// The resident's loop end to end over real HTTP, on a real database, with a fake Telegram Bot API on loopback:
// on the web a resident proves an appeal is theirs with the access key given once at filing, confirms the fix,
// reopens it (back to the same organisation, counted, its executors told), rates it; a wrong key is a 404 that
// changes nothing; after the confirmation window reopening is refused and the sweep closes the ticket once.
// In Telegram the same loop runs through the bot's buttons, with the same window.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackUpdate, FakeTelegram, messageUpdate, type Person } from '../../src/demo/fakes/telegram.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { windowEnd } from '../../src/tickets/confirm-window.js';
import { autoCloseSweep } from '../../src/tickets/loop-sweep.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SECRET = 'loop-webhook-secret';
const WATER = 'astana-su-arnasy';
const DAY = 86_400_000;

let fake: FakeTelegram;
let c: TestCentre;
let operator: string;
let updateIds = 1;
const person = (id: number, language_code = 'ru'): Person => ({ id, first_name: `Resident ${id}`, language_code });
const executorChat = person(7301); // executor.water@qala.demo links this chat

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  // The sweep is driven by the test with a controlled clock, never by the background ticker.
  c = await startTestCentre({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_URL: fake.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_POLLING: false,
  });
  operator = await c.login('operator1@qala.demo');
  const code = await c.api('/api/v1/me/telegram-link', { method: 'POST', token: await c.login('executor.water@qala.demo') });
  await send(executorChat, `/link ${code.body.code}`);
  await waitFor('the executor linked', () => fake.sentTo(executorChat.id).find((s) => s.text.startsWith('Готово')));
});
afterAll(async () => {
  await c?.close();
  await fake?.stop();
});

async function send(p: Person, text: string) {
  const u = { update_id: updateIds++, ...messageUpdate(fake, p, { text }) };
  expect((await fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, SECRET)).status).toBe(200);
  return u;
}
const press = (p: Person, data: string, messageId: number) =>
  fake.postWebhook(`${c.url}/channels/telegram/webhook`, { update_id: updateIds++, ...callbackUpdate(p, data, messageId) }, SECRET);
const sentWith = (chat: number, pred: (text: string) => boolean) =>
  waitFor(`a message to ${chat}`, async () => fake.sentTo(chat).find((s) => pred(s.text)));
const ticket = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const auditOf = (number: string) => c.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', number).orderBy('id').execute();
const withKey = (key: string) => ({ 'x-appeal-key': key });

/** The operator puts the ticket with the water company (if routing chose another) and resolves it. */
async function resolve(number: string) {
  if ((await ticket(number)).organisation_id !== WATER) {
    const a = await c.api(`/api/v1/tickets/${number}/actions`, { token: operator, body: { action: 'assign', organisation: WATER } });
    expect(a.status, a.text).toBe(200);
  }
  const r = await c.api(`/api/v1/tickets/${number}/actions`, { token: operator, body: { action: 'resolve', reason: 'Заменили задвижку' } });
  expect(r.status, r.text).toBe(200);
}

async function fileOnWeb(text: string) {
  const r = await c.api('/api/v1/appeals', { body: { text, contact: { name: 'Айгерим', phone: '+7 701 555 44 33' } } });
  expect(r.status, r.text).toBe(201);
  return r.body as { number: string; access_key: string; private_link: string };
}

describe('the resident’s loop on the web', () => {
  it('gives a 192-bit access key once, keeps only its hash, and shows the key holder their own conversation', async () => {
    const a = await fileOnWeb('Нет холодной воды во всём доме на улице Бейбитшилик 25 с утра');
    expect(a.access_key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.private_link).toBe(`${c.settings.QALA_PUBLIC_URL}/#/track/${a.number}?key=${a.access_key}`);
    const stored = await c.ctx.db.selectFrom('resident_access').selectAll().execute();
    expect(stored.map((s) => s.key_hash)).toContain(createHash('sha256').update(a.access_key).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(a.access_key);

    const mine = await c.api(`/api/v1/appeals/${a.number}`, { headers: withKey(a.access_key) });
    expect(mine.status).toBe(200);
    expect(mine.body.conversation[0]).toMatchObject({ from: 'resident', text: expect.stringContaining('Бейбитшилик 25') });
    expect(mine.body.can).toEqual({ confirm: false, reopen: false, rate: false, add_details: true });
    expect(mine.text).not.toMatch(/Айгерим|555 44 33/);
    const pub = await c.api(`/api/v1/appeals/${a.number}`);
    expect(pub.body.conversation).toBeUndefined();
    expect(pub.text).not.toContain('Бейбитшилик');
  });

  it('answers a wrong key exactly like an unknown number (404) and changes nothing', async () => {
    const a = await fileOnWeb('Нет холодной воды в подъезде, Бейбитшилик 27');
    const b = await fileOnWeb('Прорвало трубу в подвале, Бейбитшилик 29');
    await resolve(a.number);
    const before = { t: await ticket(a.number), audit: (await auditOf(a.number)).length };
    const forged = 'A'.repeat(32);
    for (const key of [forged, b.access_key]) {
      expect((await c.api(`/api/v1/appeals/${a.number}`, { headers: withKey(key) })).status).toBe(404);
      expect((await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST', headers: withKey(key) })).status).toBe(404);
      const reopen = await c.api(`/api/v1/appeals/${a.number}/reopen`, { headers: withKey(key), body: { reason: 'не сделали' } });
      expect(reopen.status).toBe(404);
      expect(reopen.body.error.code).toBe('not_found');
    }
    const unknown = await c.api('/api/v1/appeals/AST-2020-999999', { headers: withKey(a.access_key) });
    expect(unknown.status).toBe(404);
    expect((await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST' })).status).toBe(400);
    expect((await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST', headers: withKey('short') })).status).toBe(400);
    const after = await ticket(a.number);
    expect([after.status, after.version]).toEqual([before.t.status, before.t.version]);
    expect((await auditOf(a.number)).length).toBe(before.audit);
  });

  it('confirms with the key (closed, audited as the resident), rates 4 with a comment, and a second rating replaces it', async () => {
    const a = await fileOnWeb('Нет холодной воды с утра, улица Бейбитшилик 31');
    await resolve(a.number);
    const view = await c.api(`/api/v1/appeals/${a.number}`, { headers: withKey(a.access_key) });
    expect(view.body.can).toEqual({ confirm: true, reopen: true, rate: true, add_details: true });
    expect(view.body.window.days).toBe(15);
    // The last moment of the 15th day after the day of resolution, in Astana time.
    expect(view.body.window.ends_at).toMatch(/T23:59:59\+05:00$/);
    const ok = await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST', headers: withKey(a.access_key) });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.status).toBe('closed');
    const close = (await auditOf(a.number)).at(-1);
    expect([close?.action, close?.actor_type, close?.data.via]).toEqual(['ticket.close', 'resident', 'access_key']);
    const again = await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST', headers: withKey(a.access_key) });
    expect([again.status, again.body.error.code]).toEqual([409, 'invalid_transition']);

    const rated = await c.api(`/api/v1/appeals/${a.number}/rate`, { headers: withKey(a.access_key), body: { score: 4, comment: 'Сделали за день' } });
    expect(rated.status, rated.text).toBe(200);
    expect(rated.body.rating).toEqual({ score: 4, comment: 'Сделали за день' });
    expect((await c.api(`/api/v1/appeals/${a.number}/rate`, { headers: withKey(a.access_key), body: { score: 6 } })).status).toBe(400);
    await c.api(`/api/v1/appeals/${a.number}/rate`, { headers: withKey(a.access_key), body: { score: 5 } });
    const rows = await c.ctx.db
      .selectFrom('ratings')
      .selectAll()
      .where('ticket_id', '=', (await ticket(a.number)).id)
      .execute();
    expect(rows.map((r) => [r.score, r.comment, r.channel])).toEqual([[5, null, 'web']]);
    const stats = await c.api('/api/v1/stats/organisations', { token: operator });
    const water = stats.body.organisations.find((o: { id: string }) => o.id === WATER);
    expect(water.ratings).toBeGreaterThanOrEqual(1);
    expect(water.average_rating).toBeGreaterThanOrEqual(1);
    // The city's "closed" message reaches the resident's conversation on the portal.
    const final = await waitFor('the closing message', async () => {
      const v = await c.api(`/api/v1/appeals/${a.number}`, { headers: withKey(a.access_key) });
      return v.body.conversation.some((m: { from: string; text: string }) => m.from === 'city' && m.text.includes('закрыто')) && v.body;
    });
    // In the order things happened: the resident's words, the acknowledgement, …, the closing message.
    const texts = final.conversation.map((m: { text: string }) => m.text);
    expect(texts[0]).toContain('Бейбитшилик 31');
    expect(texts[1]).toContain('зарегистрировано');
    expect(texts.at(-1)).toContain('закрыто');
  });

  it('reopens with a reason: same organisation, history kept, counted, executors told; details added by the key holder', async () => {
    const a = await fileOnWeb('Нет холодной воды, Бейбитшилик 33, второй день');
    await resolve(a.number);
    const historyBefore = (await auditOf(a.number)).length;
    const empty = await c.api(`/api/v1/appeals/${a.number}/reopen`, { headers: withKey(a.access_key), body: { reason: '  ' } });
    expect(empty.status).toBe(400);
    const r = await c.api(`/api/v1/appeals/${a.number}/reopen`, { headers: withKey(a.access_key), body: { reason: 'Вода так и не появилась' } });
    expect(r.status, r.text).toBe(200);
    expect([r.body.status, r.body.reopen_count]).toEqual(['reopened', 1]);
    const t = await ticket(a.number);
    expect([t.status, t.organisation_id, t.reopen_count, t.resolved_at]).toEqual(['reopened', WATER, 1, null]);
    const history = await auditOf(a.number);
    expect(history.length).toBe(historyBefore + 1);
    expect(history.at(-1)?.data).toMatchObject({ from: 'resolved', to: 'reopened', reason: 'Вода так и не появилась', reopen_count: 1 });
    const notice = await sentWith(executorChat.id, (s) => s.includes(a.number) && s.includes('вернул в работу'));
    expect(notice.text).not.toMatch(/Айгерим|555 44 33/);

    const details = await c.api(`/api/v1/appeals/${a.number}/details`, {
      headers: { ...withKey(a.access_key), 'idempotency-key': `details-${a.number}` },
      body: { text: 'Напор есть только ночью' },
    });
    expect(details.status, details.text).toBe(201);
    const repeat = await c.api(`/api/v1/appeals/${a.number}/details`, {
      headers: { ...withKey(a.access_key), 'idempotency-key': `details-${a.number}` },
      body: { text: 'Напор есть только ночью' },
    });
    expect(repeat.status).toBe(200);
    const words = repeat.body.conversation.filter((m: { text: string }) => m.text === 'Напор есть только ночью');
    expect(words).toHaveLength(1);

    const stats = await c.api('/api/v1/stats/organisations', { token: await c.login('supervisor@qala.demo') });
    expect(stats.status).toBe(200);
    const water = stats.body.organisations.find((o: { id: string }) => o.id === WATER);
    expect(water.reopened).toBeGreaterThanOrEqual(1);
    expect(water.reopen_rate).toBeGreaterThan(0);
    const supervisor = await c.login('supervisor@qala.demo');
    const future = await c.api('/api/v1/stats/organisations?from=2100-01-01T00:00:00%2B05:00', { token: supervisor });
    expect(future.body.organisations.find((o: { id: string }) => o.id === WATER)).toMatchObject({ tickets: 0, reopened: 0, reopen_rate: null });
    expect((await c.api('/api/v1/stats/organisations?from=someday', { token: supervisor })).status).toBe(400);
    expect((await c.api('/api/v1/stats/organisations', { token: await c.login('executor.water@qala.demo') })).status).toBe(403);
    expect((await c.api('/api/v1/stats/organisations')).status).toBe(401);
  });

  it('after the window refuses to reopen (file a new appeal) and the sweep closes the ticket once, telling the resident in Kazakh', async () => {
    const r = await c.api('/api/v1/appeals', { body: { text: 'Үйде суық су жоқ, Бейбітшілік көшесі 35, таңертеңнен бері' } });
    expect(r.body.language).toBe('kk');
    const { number, access_key: key } = r.body as { number: string; access_key: string };
    await resolve(number);
    const end = windowEnd(c.ctx.city.calendar, (await ticket(number)).resolved_at as Date, 15);
    const realNow = c.ctx.now;
    try {
      c.ctx.now = () => new Date(end.getTime() - 1000);
      await sweepOnce(c.ctx, [autoCloseSweep], c.ctx.now());
      expect((await ticket(number)).status).toBe('resolved');

      c.ctx.now = () => new Date(end.getTime() + 2 * DAY);
      const late = await c.api(`/api/v1/appeals/${number}/reopen`, { headers: withKey(key), body: { reason: 'Снова нет воды' } });
      expect(late.status).toBe(409);
      expect(late.body.error.details.reason).toBe('window_closed');
      expect(late.body.error.message).toMatch(/new appeal/);
      expect((await ticket(number)).status).toBe('resolved');

      const first = await sweepOnce(c.ctx, [autoCloseSweep], c.ctx.now());
      const second = await sweepOnce(c.ctx, [autoCloseSweep], c.ctx.now());
      expect(first[autoCloseSweep.name]).toBeGreaterThanOrEqual(1);
      expect(second[autoCloseSweep.name]).toBe(0);
    } finally {
      c.ctx.now = realNow;
    }
    const t = await ticket(number);
    expect(t.status).toBe('closed');
    const closes = (await auditOf(number)).filter((h) => h.action === 'ticket.close');
    expect(closes.map((h) => [h.actor_type, h.actor_id, h.data.auto])).toEqual([['system', 'resident-loop', true]]);
    const told = await c.ctx.db.selectFrom('outbox').select('payload').where('ticket_id', '=', t.id).execute();
    const autoClosed = told.filter((o) => o.payload.template === 'status.auto_closed');
    expect(autoClosed).toHaveLength(1);
    expect(autoClosed[0]?.payload.language).toBe('kk');
    expect(String(autoClosed[0]?.payload.text)).toMatch(/жабылды/);
    // Rating stays open after the ticket closed by itself.
    expect((await c.api(`/api/v1/appeals/${number}/rate`, { headers: withKey(key), body: { score: 3 } })).status).toBe(200);
  });
});

describe('the resident’s loop in Telegram', () => {
  /** An appeal written to the bot, resolved by the operator; gives the number and the bot's "resolved" message. */
  async function resolvedInTelegram(p: Person, text: string) {
    const u = await send(p, text);
    const t = await waitFor('the ticket', async () =>
      c.ctx.db
        .selectFrom('tickets as t')
        .innerJoin('messages as m', 'm.id', 't.source_message_id')
        .selectAll('t')
        .where('m.channel', '=', 'telegram')
        .where('m.external_id', '=', `${p.id}:${u.message.message_id}`)
        .executeTakeFirst(),
    );
    await sentWith(p.id, (s) => s.includes(t.number));
    await resolve(t.number);
    const resolved = await sentWith(p.id, (s) => s.startsWith(`Обращение ${t.number} отмечено как выполненное`));
    return { number: t.number, resolved };
  }

  it('confirms with the button and rates 4 from the stars', async () => {
    const p = person(7311);
    const { number, resolved } = await resolvedInTelegram(p, 'Нет холодной воды во всём доме на улице Бейбитшилик 41 с утра');
    await press(p, `ok:${number}`, resolved.message_id);
    expect((await ticket(number)).status).toBe('closed');
    const closed = await sentWith(p.id, (s) => s.startsWith(`Обращение ${number} закрыто`));
    await press(p, `rate:${number}:4`, closed.message_id);
    const rating = await c.ctx.db
      .selectFrom('ratings')
      .selectAll()
      .where('ticket_id', '=', (await ticket(number)).id)
      .executeTakeFirstOrThrow();
    expect([rating.score, rating.channel]).toEqual([4, 'telegram']);
  });

  it('reopens with the resident’s words: same organisation, counted, the executor told', async () => {
    const p = person(7312);
    const { number, resolved } = await resolvedInTelegram(p, 'Нет холодной воды в квартирах, улица Бейбитшилик 43, с вечера');
    await press(p, `no:${number}`, resolved.message_id);
    await sentWith(p.id, (s) => s.startsWith('Напишите, что осталось не так'));
    await send(p, 'Воды всё ещё нет');
    const t = await ticket(number);
    expect([t.status, t.organisation_id, t.reopen_count]).toEqual(['reopened', WATER, 1]);
    await sentWith(executorChat.id, (s) => s.includes(number) && s.includes('вернул в работу'));
  });

  it('past the window, "not solved" and a reply both get "file a new appeal" and the ticket stays resolved', async () => {
    const p = person(7313);
    const { number, resolved } = await resolvedInTelegram(p, 'Нет холодной воды, улица Бейбитшилик 45, третий день');
    const realNow = c.ctx.now;
    try {
      c.ctx.now = () => new Date(Date.now() + 20 * DAY);
      await press(p, `no:${number}`, resolved.message_id);
      await sentWith(p.id, (s) => s.startsWith(`Обращение ${number} уже закрыто`));
      const u = {
        update_id: updateIds++,
        ...messageUpdate(fake, p, {
          text: 'Воды так и нет',
          reply_to_message: {
            message_id: resolved.message_id,
            from: { id: 1, is_bot: true, first_name: 'bot' },
            chat: { id: p.id, type: 'private' },
            date: 0,
            text: resolved.text,
          },
        }),
      };
      expect((await fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, SECRET)).status).toBe(200);
      await waitFor(
        'the second refusal',
        async () => fake.sentTo(p.id).filter((s) => s.text.startsWith(`Обращение ${number} уже закрыто`)).length === 2,
      );
      const t = await ticket(number);
      expect([t.status, t.reopen_count]).toEqual(['resolved', 0]);
    } finally {
      c.ctx.now = realNow;
    }
  });
});
