// VK end to end: a real centre, real HTTP and database, and a fake VK API. The Callback API confirms the server,
// refuses events without the secret, ignores a repeated event; a wall comment becomes a ticket answered under it
// (wall.createComment in the comment's thread), a message to the community is answered with messages.send, and
// error 6 (too many requests per second) is retried and sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomIdFor } from '../../src/channels/vk/reply.js';
import { callback, FakeVk } from '../../src/demo/fakes/vk.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const TOKEN = 'test-community-token';
const GROUP = 217000001;
const CONFIRMATION = 'a1b2c3d4';
const SECRET = 'test-callback-secret';
const OWNER = -GROUP; // the community's wall

let vk: FakeVk;
let c: TestCentre;
let events = 0;

beforeAll(async () => {
  vk = await new FakeVk({ token: TOKEN, groupId: GROUP }).start();
  c = await startTestCentre({
    VK_ACCESS_TOKEN: TOKEN,
    VK_GROUP_ID: String(GROUP),
    VK_CONFIRMATION: CONFIRMATION,
    VK_SECRET: SECRET,
    VK_API_URL: vk.url,
    VK_API_VERSION: '5.199',
  });
});
afterAll(async () => {
  await c?.close();
  await vk?.stop();
});

const event = (type: string, object: Record<string, unknown>, extra: { secret?: string; event_id?: string } = {}) =>
  callback(c.url, { type, group_id: GROUP, event_id: extra.event_id ?? `evt-${++events}-${Date.now()}`, secret: extra.secret ?? SECRET, object });
const countVk = async () =>
  Number(
    (
      await c.ctx.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('channel', '=', 'vk')
        .where('direction', '=', 'in')
        .executeTakeFirstOrThrow()
    ).n,
  );
const inbound = (externalId: string) =>
  c.ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('channel', '=', 'vk')
    .where('direction', '=', 'in')
    .where('external_id', '=', externalId)
    .execute();
const ticketFor = (externalId: string) =>
  c.ctx.db
    .selectFrom('tickets as t')
    .innerJoin('messages as m', 'm.id', 't.source_message_id')
    .select(['t.id', 't.number', 't.status', 't.language'])
    .where('m.channel', '=', 'vk')
    .where('m.external_id', '=', externalId)
    .executeTakeFirst();
const now = () => Math.floor(Date.now() / 1000);

describe('VK Callback API', () => {
  it('answers the confirmation string as plain text for its community', async () => {
    const r = await callback(c.url, { type: 'confirmation', group_id: GROUP });
    expect(r).toEqual({ status: 200, text: CONFIRMATION });
  });

  it('should fail with status 403 when the confirmation is asked for another community', async () => {
    const r = await callback(c.url, { type: 'confirmation', group_id: GROUP + 1 });
    expect(r.status).toBe(403);
    expect(r.text).not.toContain(CONFIRMATION);
  });

  it('should fail with status 403 and store nothing when the secret is wrong or missing', async () => {
    const before = await countVk();
    const object = {
      id: 9001,
      from_id: 555,
      post_id: 10,
      owner_id: OWNER,
      post_owner_id: OWNER,
      date: now(),
      text: 'Прорвало трубу на улице Бейбитшилик 25',
    };
    expect((await event('wall_reply_new', object, { secret: 'guessed' })).status).toBe(403);
    const missing = await fetch(`${c.url}/channels/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'wall_reply_new', group_id: GROUP, event_id: 'no-secret', v: '5.199', object }),
    });
    expect(missing.status).toBe(403);
    expect(await countVk()).toBe(before);
  });

  it('answers ok to an unknown event type and stores nothing; refuses a malformed body with 400', async () => {
    const before = await countVk();
    expect(await event('group_join', { user_id: 555, join_type: 'join' })).toEqual({ status: 200, text: 'ok' });
    const bad = await fetch(`${c.url}/channels/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": 42',
    });
    expect(bad.status).toBe(400);
    expect((await callback(c.url, { type: '', group_id: GROUP, secret: SECRET })).status).toBe(400);
    expect(await countVk()).toBe(before);
  });

  it('ignores the community’s own posts and comments', async () => {
    const before = await countVk();
    const own = {
      id: 9100,
      from_id: OWNER,
      owner_id: OWNER,
      post_id: 11,
      post_owner_id: OWNER,
      date: now(),
      text: 'Уважаемые жители! Плановое отключение воды завтра',
    };
    expect((await event('wall_post_new', { ...own, id: 11 })).text).toBe('ok');
    expect((await event('wall_reply_new', own)).text).toBe('ok');
    expect(await countVk()).toBe(before);
  });
});

describe('VK wall comment → ticket → answers in the thread', () => {
  it('stores a repeated event once, opens a ticket, answers under the comment in Russian and posts the status update there', async () => {
    const comment = {
      id: 4242,
      from_id: 3301,
      post_id: 77,
      owner_id: OWNER,
      post_owner_id: OWNER,
      date: now(),
      text: 'Третий день нет горячей воды в доме, улица Кенесары 40. Когда дадут?',
    };
    const a = await event('wall_reply_new', comment, { event_id: 'evt-wall-reply-4242' });
    const b = await event('wall_reply_new', comment, { event_id: 'evt-wall-reply-4242' }); // VK redelivers
    expect([a, b]).toEqual([
      { status: 200, text: 'ok' },
      { status: 200, text: 'ok' },
    ]);
    const externalId = `reply:${OWNER}_77_4242`;
    const stored = await inbound(externalId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ audience: 'public', thread_ref: `wall${OWNER}_77` });

    const t = await waitFor('the ticket', () => ticketFor(externalId));
    expect(t.language).toBe('ru');
    const ack = await waitFor('the acknowledgement', () => vk.comments.find((x) => x.reply_to_comment === 4242));
    expect(ack).toMatchObject({ owner_id: OWNER, post_id: 77, reply_to_comment: 4242, from_group: GROUP });
    expect(ack.message).toContain(t.number);
    expect(ack.message).toMatch(/[а-я]/);
    const call = vk.callsOf('wall.createComment')[0];
    expect(call?.params).toMatchObject({ access_token: TOKEN, v: '5.199' });

    const token = await c.login('operator1@qala.demo');
    const r = await c.api(`/api/v1/tickets/${t.number}/actions`, { token, body: { action: 'resolve', reason: 'Подача горячей воды восстановлена' } });
    expect(r.status).toBe(200);
    const update = await waitFor('the status update', () => vk.comments.filter((x) => x.reply_to_comment === 4242)[1]);
    expect(update).toMatchObject({ owner_id: OWNER, post_id: 77, from_group: GROUP });
    expect(update.message).toContain(t.number);
    expect(update.message).toMatch(/отмечено как выполненное/);
    expect(vk.comments.filter((x) => x.reply_to_comment === 4242)).toHaveLength(2);
    // A third delivery of the same event, after all this, still changes nothing.
    await event('wall_reply_new', comment, { event_id: 'evt-wall-reply-4242' });
    expect(await inbound(externalId)).toHaveLength(1);
  });

  it('answers a resident’s wall post with a comment under the post', async () => {
    const post = {
      id: 88,
      owner_id: OWNER,
      from_id: 3302,
      date: now(),
      post_type: 'post',
      text: 'Не горит уличное освещение во дворе дома на улице Сыганак 10, темно и опасно',
    };
    expect((await event('wall_post_new', post)).text).toBe('ok');
    const t = await waitFor('the ticket', () => ticketFor(`wall:${OWNER}_88`));
    const ack = await waitFor('the acknowledgement', () => vk.comments.find((x) => x.post_id === 88));
    expect(ack).toMatchObject({ owner_id: OWNER, reply_to_comment: null, from_group: GROUP });
    expect(ack.message).toContain(t.number);
  });
});

describe('VK message to the community', () => {
  it('answers in Kazakh with messages.send, and after error 6 retries and sends it once', async () => {
    vk.failNext('messages.send', 6);
    const message = {
      message: {
        date: now(),
        from_id: 3303,
        id: 0,
        out: 0,
        peer_id: 3303,
        conversation_message_id: 15,
        text: 'Үйде жылу жоқ, батареялар суық, балалар ауырып жатыр',
        attachments: [],
      },
      client_info: { button_actions: ['text'], keyboard: true, inline_keyboard: true, carousel: true, lang_id: 0 },
    };
    expect((await event('message_new', message)).text).toBe('ok');
    const stored = await inbound('msg:3303_15');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.audience).toBe('direct');
    const t = await waitFor('the ticket', () => ticketFor('msg:3303_15'));
    expect(t.language).toBe('kk');

    const row = await waitFor('the refused attempt', () =>
      c.ctx.db.selectFrom('outbox').selectAll().where('ticket_id', '=', t.id).where('last_error', 'like', '%error 6%').executeTakeFirst(),
    );
    expect(row.status).toBe('pending');
    const sent = await waitFor('the message', () => vk.messages.find((m) => m.peer_id === 3303));
    expect(sent.message).toContain(t.number);
    expect(sent.message).toMatch(/[әғқңөұүһі]/i);
    const calls = vk.callsOf('messages.send').filter((x) => x.params.peer_id === '3303');
    expect(calls.map((x) => x.error)).toEqual([6, null]);
    // The same random_id both times, derived from the outbox row: VK itself would send it once.
    expect(new Set(calls.map((x) => x.params.random_id))).toEqual(new Set([String(randomIdFor(row.idempotency_key))]));
    await waitFor('the row to be sent', () =>
      c.ctx.db.selectFrom('outbox').selectAll().where('id', '=', row.id).where('status', '=', 'sent').executeTakeFirst(),
    );
    expect(vk.messages.filter((m) => m.peer_id === 3303)).toHaveLength(1);
  });

  it('ignores a message with no text (a sticker) and answers ok', async () => {
    const before = await countVk();
    const r = await event('message_new', {
      message: { date: now(), from_id: 3304, id: 0, peer_id: 3304, conversation_message_id: 3, text: '', attachments: [{ type: 'sticker' }] },
    });
    expect(r).toEqual({ status: 200, text: 'ok' });
    expect(await countVk()).toBe(before);
  });
});
