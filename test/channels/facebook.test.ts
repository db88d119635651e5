// Facebook Page end to end: a real centre, real HTTP and database, and a fake Graph API. A resident's comment or
// post on the Page arrives by the `feed` webhook, is stored once, becomes a ticket, and is answered in its thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph, feedNotification, sendWebhook } from '../../src/demo/fakes/meta.js';
import { processed, startTestCentre, type TestCentre, waitFor } from '../centre.js';

const PAGE = '104000000000001';
const SECRET = 'test-app-secret';
const TOKEN = 'test-page-token';
const VERIFY = 'test-verify-token';

let graph: FakeGraph;
let c: TestCentre;

beforeAll(async () => {
  graph = await new FakeGraph({ token: TOKEN, appSecret: SECRET, pageId: PAGE }).start();
  c = await startTestCentre({
    META_APP_SECRET: SECRET,
    META_ACCESS_TOKEN: TOKEN,
    META_VERIFY_TOKEN: VERIFY,
    META_GRAPH_URL: graph.url,
    FACEBOOK_PAGE_ID: PAGE,
    INSTAGRAM_ACCOUNT_ID: undefined,
  });
});
afterAll(async () => {
  await c?.close();
  await graph?.stop();
});

const webhook = (body: unknown, signature: 'good' | 'bad' | 'none' = 'good') =>
  sendWebhook(c.url, 'facebook', body, { appSecret: SECRET, signature });
const messagesOf = (externalId: string) =>
  c.ctx.db.selectFrom('messages').selectAll().where('channel', '=', 'facebook').where('external_id', '=', externalId).execute();
const ticketOf = (messageId: number) => c.ctx.db.selectFrom('tickets').selectAll().where('source_message_id', '=', messageId).executeTakeFirst();
const repliesOn = (id: string) => graph.replies.filter((r) => r.on === id);
const count = async () =>
  (await c.ctx.db.selectFrom('messages').select('id').where('channel', '=', 'facebook').where('direction', '=', 'in').execute()).length;
const resident = (id: string, name: string) => ({ id, name });

/** A resident's comment under a Page post, as the `feed` webhook reports it. */
function comment(postId: string, commentId: string, message: string, from = resident('2001', 'Айгүл Серікова'), parentId = postId) {
  graph.objects.set(postId, { id: postId });
  graph.objects.set(commentId, { id: commentId, message, from });
  return feedNotification(PAGE, {
    item: 'comment',
    verb: 'add',
    post_id: postId,
    comment_id: commentId,
    parent_id: parentId,
    from,
    message,
    created_time: 1_760_000_000,
  });
}

describe('webhook verification handshake', () => {
  it('echoes hub.challenge for the right verify token, 403 otherwise', async () => {
    const ok = await c.api(`/channels/facebook/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=987654`);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('987654');
    expect((await c.api('/channels/facebook/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1')).status).toBe(403);
  });
});

describe('a resident’s comment on the Page', () => {
  it('is stored once, becomes a ticket, is answered under the comment in Kazakh, and the status change follows', async () => {
    const post = `${PAGE}_5001`;
    const note = comment(post, '5001_7001', 'Кенесары көшесі 40 үйде үш күннен бері су жоқ, ыстық су да жоқ. Көмектесіңіздерші!');
    expect((await webhook(note)).status).toBe(200);
    expect((await webhook(note)).status).toBe(200); // delivered again
    const [m, ...more] = await messagesOf('comment:5001_7001');
    expect(more).toHaveLength(0);
    expect(m).toMatchObject({ audience: 'public', thread_ref: post, direction: 'in' });

    const ticket = await waitFor('ticket', () => ticketOf(m?.id as number));
    expect(ticket).toMatchObject({ channel: 'facebook', language: 'kk' });
    const [ack] = await waitFor('acknowledgement', async () => repliesOn('5001_7001').length >= 1 && repliesOn('5001_7001'));
    expect(ack?.message).toContain(ticket.number);
    expect(ack?.message).toMatch(/^Өтінішіңіз/);

    // Our own reply comes back through the feed webhook: never answered, never stored.
    const before = await count();
    const echo = feedNotification(PAGE, {
      item: 'comment',
      verb: 'add',
      post_id: post,
      comment_id: ack?.id,
      parent_id: '5001_7001',
      from: { id: PAGE, name: 'Акимат' },
      message: ack?.message,
    });
    expect((await webhook(echo)).status).toBe(200);
    expect(await count()).toBe(before);

    const token = await c.login('operator1@qala.demo');
    const current = await c.ctx.db.selectFrom('tickets').select(['version', 'status']).where('id', '=', ticket.id).executeTakeFirstOrThrow();
    // Kazakh triage may leave the ticket to an operator ("new"): then the operator assigns it; else resolves it.
    const [body, expected] =
      current.status === 'new'
        ? [{ action: 'assign', organisation: 'astana-su-arnasy', category: 'WATR' }, 'орындаушыға жіберілді']
        : [{ action: 'resolve', reason: 'Су берілді' }, 'орындалды деп белгіленді'];
    const r = await c.api(`/api/v1/tickets/${ticket.number}/actions`, { token, body: { ...body, version: current.version } });
    expect(r.status).toBe(200);
    const update = await waitFor('status update', async () => repliesOn('5001_7001').length >= 2 && repliesOn('5001_7001')[1]);
    expect(update.message).toContain(ticket.number);
    expect(update.message).toContain(expected);
    expect(repliesOn('5001_7001')).toHaveLength(2);
  }, 120_000);

  it('answers a reply to a comment under the top-level comment of that thread', async () => {
    const note = comment(
      `${PAGE}_5002`,
      '5002_7102',
      'Прорвало трубу на улице Бейбитшилик 25, вода заливает дорогу',
      resident('2002', 'Ерлан'),
      '5002_7101',
    );
    graph.objects.set('5002_7101', { id: '5002_7101' });
    expect((await webhook(note)).status).toBe(200);
    const [m] = await messagesOf('comment:5002_7102');
    const ticket = await waitFor('ticket', () => ticketOf(m?.id as number));
    const [ack] = await waitFor('acknowledgement', async () => repliesOn('5002_7101').length >= 1 && repliesOn('5002_7101'));
    expect(ack?.message).toContain(ticket.number);
    expect(ack?.message).toMatch(/^Ваше обращение/);
  });

  it('keeps a public thank-you without a ticket and does not answer it', async () => {
    const note = comment(`${PAGE}_5003`, '5003_7201', 'Спасибо большое за новый парк, очень красиво и уютно! Молодцы!');
    expect((await webhook(note)).status).toBe(200);
    const [m] = await messagesOf('comment:5003_7201');
    const done = await processed(c, m?.id as number);
    expect(done.no_ticket_reason).toMatch(/^kind:(thanks|noise)$/);
    expect(await ticketOf(m?.id as number)).toBeUndefined();
    expect(repliesOn('5003_7201')).toHaveLength(0);
  });
});

describe('a resident’s post on the Page', () => {
  it('arriving without its text is read from the Graph API, and a rate-limited reply is retried and sent once (English)', async () => {
    const post = `${PAGE}_5004`;
    const from = resident('2004', 'John Smith');
    graph.objects.set(post, { id: post, message: 'The street light is broken on Turan avenue 24, the whole yard is dark at night', from });
    graph.fail('rate-limit', { method: 'POST', path: /\/comments$/ });
    expect((await webhook(feedNotification(PAGE, { item: 'photo', verb: 'add', post_id: post, photo_id: '9001', from }))).status).toBe(200);
    const [m] = await messagesOf(`post:${post}`);
    expect(m?.text).toContain('Turan avenue 24');
    const ticket = await waitFor('ticket', () => ticketOf(m?.id as number));
    const failed = await waitFor('a rate-limited attempt', async () => {
      const row = await c.ctx.db.selectFrom('outbox').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirst();
      return row?.last_error ? row : null;
    });
    expect(failed.last_error).toMatch(/rate limit.*code 4/);
    const sent = await waitFor('delivered on retry', async () => {
      const row = await c.ctx.db.selectFrom('outbox').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirst();
      return row?.status === 'sent' && row;
    });
    expect(sent.attempts).toBe(2);
    expect(repliesOn(post)).toHaveLength(1);
    expect(repliesOn(post)[0]?.message).toMatch(
      new RegExp(`^(Your request has been registered|We have received your request and registered it) as ${ticket.number}`),
    );
    expect(graph.callsTo('POST', new RegExp(`^${post}/comments$`)).map((x) => x.status)).toEqual([400, 200]);
  });
});

describe('what is refused or ignored', () => {
  it('should fail with status 401 when the signature is wrong or missing, and store nothing', async () => {
    const before = await count();
    const note = comment(`${PAGE}_5005`, '5005_7301', 'Прорвало трубу на улице Кенесары 40');
    expect((await webhook(note, 'bad')).status).toBe(401);
    expect((await webhook(note, 'none')).status).toBe(401);
    expect(await count()).toBe(before);
  });

  it('ignores the Page’s own posts, edits, removals, reactions, other fields and malformed payloads', async () => {
    const before = await count();
    const post = `${PAGE}_5006`;
    const page = { id: PAGE, name: 'Акимат' };
    const ignored = [
      feedNotification(PAGE, { item: 'status', verb: 'add', post_id: post, from: page, message: 'Уважаемые жители! Завтра отключение воды.' }),
      feedNotification(PAGE, {
        item: 'comment',
        verb: 'edited',
        post_id: post,
        comment_id: '5006_1',
        from: resident('2006', 'A'),
        message: 'Нет воды',
      }),
      feedNotification(PAGE, { item: 'comment', verb: 'remove', post_id: post, comment_id: '5006_2', from: resident('2006', 'A') }),
      feedNotification(PAGE, { item: 'reaction', verb: 'add', post_id: post, reaction_type: 'like', from: resident('2006', 'A') }),
      feedNotification(PAGE, { verb: 'add' }),
      feedNotification('999', {
        item: 'comment',
        verb: 'add',
        post_id: '999_1',
        comment_id: '1_2',
        from: resident('2006', 'A'),
        message: 'Нет воды',
      }),
      { object: 'page', entry: [{ id: PAGE, time: 1, changes: [{ field: 'ratings', value: { review_text: 'ok' } }] }] },
      { object: 'instagram', entry: [] },
      '{"object": "page", "entry": [',
    ];
    for (const body of ignored) expect((await webhook(body)).status).toBe(200);
    expect(await count()).toBe(before);
  });
});
