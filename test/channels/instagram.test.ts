// Instagram end to end: a real centre, real HTTP and database, and a fake Graph API. A mention arrives (by
// webhook and by tags polling), is stored once, becomes a ticket, and is answered in the same thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../../src/channels/connector.js';
import { FakeGraph, graphTime, mentionNotification, sendWebhook } from '../../src/demo/fakes/meta.js';
import { forgetWatchlist } from '../../src/inbox/watchlist.js';
import { freshPostgres, processed, startTestCentre, type TestCentre, waitFor } from '../centre.js';

const IG = '17841400000000001';
const SECRET = 'test-app-secret';
const TOKEN = 'test-page-token';
const VERIFY = 'test-verify-token';

let graph: FakeGraph;
let c: TestCentre;

const settings = (g: FakeGraph) => ({
  META_APP_SECRET: SECRET,
  META_ACCESS_TOKEN: TOKEN,
  META_VERIFY_TOKEN: VERIFY,
  META_GRAPH_URL: g.url,
  INSTAGRAM_ACCOUNT_ID: IG,
  FACEBOOK_PAGE_ID: undefined,
  META_POLL_SECONDS: 0.3,
});

beforeAll(async () => {
  graph = await new FakeGraph({ token: TOKEN, appSecret: SECRET, igUserId: IG }).start();
  c = await startTestCentre(settings(graph));
  // The city's account in the watchlist, so mentions are attributed to it.
  const json = (v: unknown) => JSON.stringify(v);
  await c.ctx.db
    .insertInto('watch_accounts')
    .values({
      id: 'test-city-ig',
      name: json({ ru: 'Акимат', kk: 'Әкімдік', en: 'Akimat' }),
      title: json({ ru: '', kk: '', en: '' }),
      handles: json({ instagram: [IG] }),
      source: 'admin',
    })
    .execute();
  forgetWatchlist(c.ctx.db); // as the admin API does after an edit
});
afterAll(async () => {
  await c?.close();
  await graph?.stop();
});

const webhook = (body: unknown, signature: 'good' | 'bad' | 'none' = 'good') =>
  sendWebhook(c.url, 'instagram', body, { appSecret: SECRET, signature });
const messagesOf = (centre: TestCentre, externalId: string) =>
  centre.ctx.db.selectFrom('messages').selectAll().where('channel', '=', 'instagram').where('external_id', '=', externalId).execute();
const ticketOf = (messageId: number) => c.ctx.db.selectFrom('tickets').selectAll().where('source_message_id', '=', messageId).executeTakeFirst();
const repliesOn = (id: string) => graph.replies.filter((r) => r.on === id);
const minutesAgo = (n: number) => graphTime(new Date(Date.now() - n * 60_000));

function mentionComment(id: string, mediaId: string, text: string, username = 'aigerim.astana') {
  graph.comments.set(id, { id, media_id: mediaId, text, username, timestamp: minutesAgo(1) });
}

describe('webhook verification handshake', () => {
  it('echoes hub.challenge when the verify token matches', async () => {
    const r = await c.api(`/channels/instagram/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('1158201444');
  });

  it('should fail with status 403 when the verify token or the mode is wrong', async () => {
    expect((await c.api('/channels/instagram/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1')).status).toBe(403);
    expect((await c.api(`/channels/instagram/webhook?hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(403);
    expect((await c.api('/channels/instagram/webhook?hub.challenge=1')).status).toBe(403);
  });
});

describe('a comment mention', () => {
  it('is stored once, becomes a ticket, and is answered under the comment in Russian; a status change is posted too', async () => {
    mentionComment('c-ru-1', 'm-ru-1', '@astana.akimat Прорвало трубу на улице Кенесары 40, вода заливает подвал уже второй день');
    const note = mentionNotification(IG, { media_id: 'm-ru-1', comment_id: 'c-ru-1' });
    expect((await webhook(note)).status).toBe(200);
    expect((await webhook(note)).status).toBe(200); // Meta delivers again

    const [m, ...more] = await messagesOf(c, 'comment:c-ru-1');
    expect(more).toHaveLength(0);
    expect(m).toMatchObject({ audience: 'public', thread_ref: 'm-ru-1', direction: 'in', addressed_to: ['test-city-ig'] });
    expect(m?.text).toContain('Кенесары 40');
    expect(graph.callsTo('GET', new RegExp(`^${IG}$`)).filter((x) => x.params.fields?.includes('c-ru-1'))).toHaveLength(1);
    const identity = await c.ctx.db
      .selectFrom('resident_identities')
      .selectAll()
      .where('channel', '=', 'instagram')
      .where('external_user_id', '=', 'aigerim.astana')
      .executeTakeFirst();
    expect(identity?.resident_id).toBe(m?.resident_id);

    const ticket = await waitFor('ticket', () => ticketOf(m?.id as number));
    expect(ticket).toMatchObject({ channel: 'instagram', language: 'ru' });
    const [ack] = await waitFor('acknowledgement', async () => repliesOn('c-ru-1').length >= 1 && repliesOn('c-ru-1'));
    expect(ack).toMatchObject({ media_id: 'm-ru-1', comment_id: 'c-ru-1' });
    expect(ack?.message).toContain(ticket.number);
    expect(ack?.message).toMatch(/^Ваше обращение зарегистрировано/);
    const out = await waitFor('reply in the conversation', async () =>
      c.ctx.db
        .selectFrom('messages')
        .selectAll()
        .where('channel', '=', 'instagram')
        .where('direction', '=', 'out')
        .where('text', '=', ack?.message as string)
        .executeTakeFirst(),
    );
    expect(out.raw).toMatchObject({ platform_id: ack?.id, comment_id: 'c-ru-1' });

    const token = await c.login('operator1@qala.demo');
    // Routed at once ("assigned"): the operator resolves it; left to the centre ("new"): the operator assigns it.
    const [body, expected] =
      ticket.status === 'new'
        ? [{ action: 'assign', organisation: 'astana-su-arnasy', category: 'WATR' }, 'передано исполнителю']
        : [{ action: 'resolve', reason: 'Трубу заменили, подвал откачали' }, 'отмечено как выполненное'];
    const r = await c.api(`/api/v1/tickets/${ticket.number}/actions`, { token, body: { ...body, version: ticket.version } });
    expect(r.status).toBe(200);
    const update = await waitFor('status update', async () => repliesOn('c-ru-1').length >= 2 && repliesOn('c-ru-1')[1]);
    expect(update.message).toContain(ticket.number);
    expect(update.message).toContain(expected);
    expect(update).toMatchObject({ media_id: 'm-ru-1', comment_id: 'c-ru-1' });
    const sent = await waitFor('outbox sent', async () => {
      const rows = await c.ctx.db.selectFrom('outbox').select(['status']).where('ticket_id', '=', ticket.id).execute();
      return rows.length === 2 && rows.every((x) => x.status === 'sent') && rows;
    });
    expect(sent).toHaveLength(2);
    expect(repliesOn('c-ru-1')).toHaveLength(2);
  }, 120_000);

  it('keeps a public thank-you without a ticket and does not answer it', async () => {
    mentionComment('c-thanks', 'm-park', '@astana.akimat Спасибо большое за новый парк, очень красиво и уютно! Молодцы!');
    expect((await webhook(mentionNotification(IG, { media_id: 'm-park', comment_id: 'c-thanks' }))).status).toBe(200);
    const [m] = await messagesOf(c, 'comment:c-thanks');
    const done = await processed(c, m?.id as number);
    expect(done.no_ticket_reason).toMatch(/^kind:(thanks|noise)$/);
    expect(await ticketOf(m?.id as number)).toBeUndefined();
    expect(repliesOn('c-thanks')).toHaveLength(0);
  });
});

describe('a caption mention', () => {
  it('found by tags polling and by webhook is one message, answered on the media in Kazakh', async () => {
    graph.media.set('m-kk-1', {
      id: 'm-kk-1',
      caption: '@astana.akimat Кенесары көшесі 40 үйде үш күннен бері су жоқ, ыстық су да жоқ. Көмектесіңіздерші!',
      username: 'nurlan_kz',
      timestamp: minutesAgo(0),
    });
    graph.tagged.push('m-kk-1');
    const [m] = await waitFor('tagged media stored by polling', async () => {
      const rows = await messagesOf(c, 'media:m-kk-1');
      return rows.length > 0 && rows;
    });
    expect(m?.raw).toMatchObject({ kind: 'media', source: 'tags' });
    expect((await webhook(mentionNotification(IG, { media_id: 'm-kk-1' }))).status).toBe(200);
    expect(await messagesOf(c, 'media:m-kk-1')).toHaveLength(1);

    const ticket = await waitFor('ticket', () => ticketOf(m?.id as number));
    expect(ticket.language).toBe('kk');
    const [ack] = await waitFor('acknowledgement', async () => repliesOn('m-kk-1').length >= 1 && repliesOn('m-kk-1'));
    expect(ack).toMatchObject({ media_id: 'm-kk-1', comment_id: undefined });
    expect(ack?.message).toContain(ticket.number);
    expect(ack?.message).toMatch(/^Өтінішіңіз/);
  });
});

describe('Graph API limits and failures', () => {
  it('retries a rate-limited reply later and sends it once (English)', async () => {
    graph.fail('rate-limit', { method: 'POST', path: /\/mentions$/ });
    mentionComment('c-en-1', 'm-en-1', '@astana.akimat The street light is broken on Turan avenue 24, the whole yard is dark at night', 'john.expat');
    expect((await webhook(mentionNotification(IG, { media_id: 'm-en-1', comment_id: 'c-en-1' }))).status).toBe(200);
    const [m] = await messagesOf(c, 'comment:c-en-1');
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
    expect(repliesOn('c-en-1')).toHaveLength(1);
    expect(repliesOn('c-en-1')[0]?.message).toMatch(
      new RegExp(`^(Your request has been registered|We have received your request and registered it) as ${ticket.number}`),
    );
    expect(
      graph
        .callsTo('POST', /\/mentions$/)
        .filter((x) => x.params.comment_id === 'c-en-1')
        .map((x) => x.status),
    ).toEqual([400, 200]);
  });

  it('keeps a mention whose comment cannot be read yet and reads it on the next poll', async () => {
    graph.fail('rate-limit', { method: 'GET', path: new RegExp(`^${IG}$`) });
    mentionComment('c-later', 'm-later', '@astana.akimat На остановке Сарыарка сломана скамейка и разбито стекло');
    expect((await webhook(mentionNotification(IG, { media_id: 'm-later', comment_id: 'c-later' }))).status).toBe(200);
    expect(await readCursor(c.ctx.db, 'instagram', 'pending:comment:c-later')).not.toBeNull();
    const [m] = await waitFor('stored by the poller', async () => {
      const rows = await messagesOf(c, 'comment:c-later');
      return rows.length > 0 && rows;
    });
    expect(m?.text).toContain('Сарыарка');
    await waitFor('pending entry removed', async () => (await readCursor(c.ctx.db, 'instagram', 'pending:comment:c-later')) === null);
  });
});

describe('what is refused or ignored', () => {
  const count = async () =>
    (await c.ctx.db.selectFrom('messages').select('id').where('channel', '=', 'instagram').where('direction', '=', 'in').execute()).length;

  it('should fail with status 401 when the signature is wrong or missing, and store nothing', async () => {
    mentionComment('c-forged', 'm-forged', '@astana.akimat Прорвало трубу на улице Кенесары 40');
    const before = await count();
    const body = mentionNotification(IG, { media_id: 'm-forged', comment_id: 'c-forged' });
    expect((await webhook(body, 'bad')).status).toBe(401);
    expect((await webhook(body, 'none')).status).toBe(401);
    expect(await count()).toBe(before);
    expect(graph.calls.filter((x) => x.params.fields?.includes('c-forged'))).toHaveLength(0);
  });

  it('answers 200 to malformed payloads and other fields, and stores nothing', async () => {
    const before = await count();
    const other = { object: 'instagram', entry: [{ id: IG, time: 1, changes: [{ field: 'comments', value: { id: 'x', text: 'hi' } }] }] };
    expect((await webhook(other)).status).toBe(200);
    expect((await webhook(mentionNotification(IG, { comment_id: 'c-x' } as never))).status).toBe(200);
    expect((await webhook(mentionNotification('17841499999999999', { media_id: 'm-elsewhere' }))).status).toBe(200);
    expect((await webhook('{"object": "instagram", "entry": [')).status).toBe(200);
    expect((await webhook({ object: 'page', entry: [] })).status).toBe(200);
    expect(await count()).toBe(before);
  });
});

describe('tags polling after a restart', () => {
  it('resumes from the stored cursor: picks up what arrived while down, nothing twice', async () => {
    const g = await new FakeGraph({ token: TOKEN, appSecret: SECRET, igUserId: IG }).start();
    g.pageSize = 2;
    const pg = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : null;
    const dir = mkdtempSync(join(tmpdir(), 'qala-instagram-'));
    const where = pg ? { DATABASE_URL: pg.url } : { QALA_DATA_DIR: dir };
    const tag = (id: string, minutes: number) => {
      g.media.set(id, { id, caption: `Яма на дороге у дома ${id}, улица Сыганак`, username: `u_${id}`, timestamp: minutesAgo(minutes) });
      g.tagged.push(id);
    };
    const stored = async (centre: TestCentre) =>
      // What was heard: the replies the centre posted are messages of the same channel too.
      (await centre.ctx.db.selectFrom('messages').select('external_id').where('channel', '=', 'instagram').where('direction', '=', 'in').execute())
        .map((r) => r.external_id)
        .sort();
    try {
      tag('A', 30);
      tag('Z1', 40);
      tag('Z2', 50); // beyond the first page: before Qala was connected, never read
      const first = await startTestCentre({ ...settings(g), ...where }, { demo: false });
      await waitFor('first poll', async () => (await readCursor(first.ctx.db, 'instagram', 'tags:newest')) !== null);
      expect(await stored(first)).toEqual(['media:A', 'media:Z1']);
      await first.close();

      tag('B', 20);
      tag('C', 10);
      tag('D', 5);
      const callsBefore = g.callsTo('GET', /\/tags$/).length;
      const second = await startTestCentre({ ...settings(g), ...where }, { demo: false });
      try {
        // The round is over once the stored position has moved to the newest mention.
        const newest = Date.parse((g.media.get('D')?.timestamp ?? '').replace('+0000', 'Z'));
        await waitFor('caught up', async () => Number(await readCursor(second.ctx.db, 'instagram', 'tags:newest')) === newest);
        expect(await stored(second)).toEqual(['media:A', 'media:B', 'media:C', 'media:D', 'media:Z1']);
        // The first round walked back page by page to the stored position and stopped there.
        const round = g.callsTo('GET', /\/tags$/).slice(callsBefore, callsBefore + 3);
        expect(round.map((x) => x.params.after ?? null)).toEqual([null, expect.any(String), expect.any(String)]);
      } finally {
        await second.close();
      }
    } finally {
      await g.stop();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
