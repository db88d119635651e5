// X end to end: a real centre, real HTTP and database, and a fake X API. A mention of a watched account is polled
// (stored once however often it is seen), becomes a ticket, and is answered in the resident's thread; status
// changes follow in the same thread; since_id survives a restart, a catch-up pages back without gaps or
// duplicates, and a 429 pauses the endpoint until x-rate-limit-reset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../../src/channels/connector.js';
import { fitTweet, tweetLength } from '../../src/channels/x/reply.js';
import { FakeX } from '../../src/demo/fakes/x.js';
import type { Settings } from '../../src/settings.js';
import { freshPostgres, startTestCentre, type TestCentre, waitFor } from '../centre.js';
import { AKIM, aigul, BEARER, inbound, john, nurlan, ticketsFor, USER_TOKEN } from './x-fixtures.js';

const settings = (f: FakeX, watched: string[]): Partial<Settings> => ({
  X_BEARER_TOKEN: BEARER,
  X_USER_TOKEN: USER_TOKEN,
  X_API_URL: f.url,
  X_POLL_SECONDS: 0.2,
  X_WATCH_USER_IDS: watched,
});

const ticketFor = async (centre: TestCentre, externalId: string) => (await ticketsFor(centre, externalId))[0];

describe('X mentions of a watched account', () => {
  let x: FakeX;
  let c: TestCentre;
  beforeAll(async () => {
    x = await new FakeX({ bearer: BEARER, userToken: USER_TOKEN }).start();
    c = await startTestCentre(settings(x, [AKIM]));
  });
  afterAll(async () => {
    await c?.close();
    await x?.stop();
  });
  const repliesTo = (tweetId: string) => x.posted.filter((p) => p.in_reply_to_tweet_id === tweetId);

  it('stores a mention once, opens a ticket, acknowledges in the thread in Russian and posts the status update there', async () => {
    const tweet = x.mention(AKIM, '@akim_astana Третий день нет горячей воды в доме, улица Кенесары 40. Когда дадут?', aigul);
    const ack = await waitFor('the acknowledgement', () => repliesTo(tweet.id)[0]);
    const t = await ticketFor(c, tweet.id);
    expect(t?.language).toBe('ru');
    expect(ack.text).toContain(t?.number);
    expect(ack.text).toMatch(/[а-я]/);
    expect(tweetLength(ack.text)).toBeLessThanOrEqual(280);

    // Polled again and again (since_id moved past it): still one message.
    const seen = x.callsTo('mentions').length;
    await waitFor('three more polls', () => x.callsTo('mentions').length >= seen + 3);
    const stored = await inbound(c, tweet.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ audience: 'public', thread_ref: tweet.conversation_id });
    expect(stored[0]?.raw).toMatchObject({
      tweet: { id: tweet.id, author_id: aigul.id },
      author: { username: aigul.username },
      watched_user_id: AKIM,
    });
    expect(x.callsTo('mentions').at(-1)?.query.since_id).toBe(tweet.id);
    const calls = x.callsTo('mentions');
    expect(
      calls.every((call) => call.auth === BEARER && call.query['tweet.fields']?.includes('conversation_id') && call.query.expansions === 'author_id'),
    ).toBe(true);
    expect(await readCursor(c.ctx.db, 'x', `mentions:${AKIM}`)).toBe(JSON.stringify({ since_id: tweet.id }));
    // The resident is known by their X user id.
    const identity = await c.ctx.db
      .selectFrom('resident_identities')
      .selectAll()
      .where('channel', '=', 'x')
      .where('external_user_id', '=', aigul.id)
      .execute();
    expect(identity).toHaveLength(1);

    expect(t?.status).toBe('assigned');
    const token = await c.login('operator1@qala.demo');
    const r = await c.api(`/api/v1/tickets/${t?.number}/actions`, {
      token,
      body: { action: 'resolve', reason: 'Подача горячей воды восстановлена' },
    });
    expect(r.status).toBe(200);
    const update = await waitFor('the status update', () => repliesTo(tweet.id)[1]);
    expect(update.text).toContain(t?.number);
    expect(update.text).toMatch(/отмечено как выполненное/);
    expect(repliesTo(tweet.id)).toHaveLength(2);
    // Both replies were posted with the city's user token and recorded in the ticket's conversation.
    expect(x.callsTo('tweets').every((call) => call.auth === USER_TOKEN)).toBe(true);
    // X accepts a reply a moment before the relay records it in the conversation.
    const out = await waitFor('both replies recorded', async () => {
      const rows = await c.ctx.db
        .selectFrom('messages as m')
        .innerJoin('ticket_messages as tm', 'tm.message_id', 'm.id')
        .select(['m.raw'])
        .where('tm.ticket_id', '=', t?.id as number)
        .where('m.direction', '=', 'out')
        .execute();
      return rows.length === 2 && rows;
    });
    expect(out.map((m) => m.raw.platform_id).sort()).toEqual(
      repliesTo(tweet.id)
        .map((p) => p.id)
        .sort(),
    );
  });

  it('answers a Kazakh mention in Kazakh and an English one in English', async () => {
    const kk = x.mention(AKIM, '@akim_astana Үйде жылу жоқ, батареялар суық, балалар ауырып жатыр', nurlan);
    const en = x.mention(AKIM, '@akim_astana There is a huge pothole on the road near my house on Kabanbay batyr avenue 11', john);
    const kkReply = await waitFor('the Kazakh reply', () => repliesTo(kk.id)[0]);
    const enReply = await waitFor('the English reply', () => repliesTo(en.id)[0]);
    expect((await ticketFor(c, kk.id))?.language).toBe('kk');
    expect(kkReply.text).toMatch(/[әғқңөұүһі]/i);
    expect(enReply.text).toContain((await ticketFor(c, en.id))?.number);
    expect(enReply.text).not.toMatch(/[а-яә]/i);
  });

  it('does not store a tweet written by the watched account itself', async () => {
    const own = x.mention(AKIM, 'Уважаемые жители, работы по ремонту дороги на улице Кенесары завершены', {
      id: AKIM,
      username: 'akim_astana',
      name: 'Аким',
    });
    const marker = x.mention(AKIM, '@akim_astana Спасибо за новую детскую площадку во дворе!', aigul);
    await waitFor('the next mention', async () => (await inbound(c, marker.id)).length === 1);
    expect(await inbound(c, own.id)).toHaveLength(0);
  });

  it('on 429 leaves the mentions endpoint alone until x-rate-limit-reset, then polls again', async () => {
    const before = x.callsTo('mentions').length;
    const reset = await x.rateLimit('mentions', 1, 2);
    const refused = x.callsTo('mentions').findIndex((call, i) => i >= before && call.status === 429);
    expect(refused).toBeGreaterThanOrEqual(before);
    const tweet = x.mention(AKIM, '@akim_astana Не горит уличное освещение во дворе дома на улице Сыганак 10', john);
    await waitFor('the mention after the reset', async () => (await inbound(c, tweet.id)).length === 1);
    await waitFor('its acknowledgement', () => repliesTo(tweet.id)[0]);
    const after = x.callsTo('mentions').slice(refused + 1);
    // With a 0.2 s poll interval a busy loop would have called many times before the reset: none at all.
    expect(after[0]?.at).toBeGreaterThanOrEqual(reset * 1000 - 5);
  });

  it('on 429 for a reply keeps the outbox row pending, then posts it once after the reset', async () => {
    // Nothing else is on its way to X, so the refused request is this ticket's acknowledgement.
    await waitFor(
      'an idle outbox',
      async () => !(await c.ctx.db.selectFrom('outbox').select('id').where('channel', '=', 'x').where('status', '=', 'pending').executeTakeFirst()),
    );
    const limited = x.rateLimit('tweets', 1, 2);
    const tweet = x.mention(AKIM, '@akim_astana Мусор не вывозят неделю, контейнеры переполнены во дворе на улице Бейбитшилик 25', nurlan);
    const reset = await limited;
    const t = await waitFor('the ticket', () => ticketFor(c, tweet.id));
    const row = await waitFor('the row to be retried', () =>
      c.ctx.db.selectFrom('outbox').selectAll().where('ticket_id', '=', t.id).where('last_error', 'like', '%rate limit%').executeTakeFirst(),
    );
    expect(row.status).toBe('pending');
    await waitFor('the reply after the reset', () => repliesTo(tweet.id)[0]);
    const tweetCalls = x
      .callsTo('tweets')
      .filter((call) => (call.body as { reply?: { in_reply_to_tweet_id?: string } }).reply?.in_reply_to_tweet_id === tweet.id);
    expect(tweetCalls.map((call) => call.status)).toEqual([429, 201]);
    expect(tweetCalls[1]?.at).toBeGreaterThanOrEqual(reset * 1000 - 5);
    const sent = await waitFor('the row to be sent', () =>
      c.ctx.db.selectFrom('outbox').selectAll().where('id', '=', row.id).where('status', '=', 'sent').executeTakeFirst(),
    );
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(repliesTo(tweet.id)).toHaveLength(1);
  });
});

describe('X catch-up after downtime', () => {
  const WATCHED = '1500000000000000002';
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const f of cleanups.reverse()) await f();
  });

  it('resumes from the stored since_id after a restart and pages back through what was missed, once each', async () => {
    // The same database for both centres: a PostgreSQL database of its own, or a PGlite directory.
    let db: Partial<Settings>;
    if (process.env.DATABASE_URL) {
      const pg = await freshPostgres(process.env.DATABASE_URL);
      cleanups.push(pg.drop);
      db = { DATABASE_URL: pg.url };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'qala-x-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      db = { QALA_DATA_DIR: dir };
    }
    const x = await new FakeX({ bearer: BEARER, userToken: USER_TOKEN }).start();
    cleanups.push(() => x.stop());
    x.pageSize = 2; // X may answer fewer than max_results: force a catch-up over several pages

    const first = await startTestCentre({ ...settings(x, [WATCHED]), ...db }, { demo: false });
    const seen = x.mention(WATCHED, '@city Спасибо за быстрый ремонт лифта!', aigul);
    await waitFor('the first mention', async () => (await inbound(first, seen.id)).length === 1);
    await waitFor('the cursor', async () => (await readCursor(first.ctx.db, 'x', `mentions:${WATCHED}`)) === JSON.stringify({ since_id: seen.id }));
    await first.close();

    // While the centre is down, five more mentions arrive.
    const missed = [
      'Прорвало трубу на улице Бейбитшилик 25, вода заливает дорогу',
      'Спасибо дворникам за чистоту во дворе',
      'Яма на дороге у дома Кабанбай батыра 11, машины бьют колёса',
      'Отличная новая остановка, спасибо',
      'Не работает светофор на перекрёстке Кенесары и Валиханова',
    ].map((text, i) => x.mention(WATCHED, `@city ${text}`, i % 2 ? nurlan : john));
    const callsBefore = x.callsTo('mentions').length;
    // The second page of the catch-up is refused once: the centre must resume from that page after the reset.
    const limited = x.rateLimit('mentions', 1, 1, 1);

    const second = await startTestCentre({ ...settings(x, [WATCHED]), ...db }, { demo: false });
    cleanups.push(() => second.close());
    const newest = missed.at(-1)?.id as string;
    await waitFor(
      'the cursor to reach the newest mention',
      async () => (await readCursor(second.ctx.db, 'x', `mentions:${WATCHED}`)) === JSON.stringify({ since_id: newest }),
    );
    const reset = await limited;

    const calls = x.callsTo('mentions').slice(callsBefore);
    expect(calls[0]?.query.since_id).toBe(seen.id); // resumed from the stored since_id, not from scratch
    expect(calls[0]?.query.pagination_token).toBeUndefined();
    expect(calls[1]?.status).toBe(429);
    expect(calls[2]?.at).toBeGreaterThanOrEqual(reset * 1000 - 5);
    expect(calls[2]?.query.pagination_token).toBe(calls[1]?.query.pagination_token); // the same page, asked again
    const pages = calls.filter((call) => call.query.pagination_token && call.status === 200);
    expect(pages.length).toBe(2); // 5 tweets, 2 a page: the first page and two more
    expect(calls.every((call) => call.query.since_id === seen.id || call.query.since_id === newest)).toBe(true);

    const rows = await second.ctx.db
      .selectFrom('messages')
      .select(['external_id'])
      .where('channel', '=', 'x')
      .where('direction', '=', 'in')
      .execute();
    expect(rows.map((r) => r.external_id).sort()).toEqual([seen.id, ...missed.map((t) => t.id)].sort());
    // After the catch-up the next poll asks only for what is newer than the newest mention.
    await waitFor('a poll after the catch-up', () =>
      x
        .callsTo('mentions')
        .slice(callsBefore)
        .some((call) => call.query.since_id === newest),
    );
  });
});

describe('fitting a reply into a tweet', () => {
  it('keeps short text as it is', () => {
    expect(fitTweet('Request AST-2025-000001 is now closed.', 'AST-2025-000001')).toBe('Request AST-2025-000001 is now closed.');
  });

  it('drops whole sentences from the end and keeps the ticket number', () => {
    const text = `Ваше обращение зарегистрировано под номером AST-2025-000123. ${'Категория: очень длинное название категории. '.repeat(10)}Мы сообщим.`;
    const fitted = fitTweet(text, 'AST-2025-000123');
    expect(tweetLength(fitted)).toBeLessThanOrEqual(280);
    expect(fitted).toContain('AST-2025-000123');
    expect(fitted).toMatch(/\.$/);
  });

  it('cuts a single long sentence at a word and adds the number when it would be lost', () => {
    const fitted = fitTweet(`${'слово '.repeat(80)}номер AST-2025-000777.`, 'AST-2025-000777');
    expect(tweetLength(fitted)).toBeLessThanOrEqual(280);
    expect(fitted).toMatch(/… AST-2025-000777$/);
  });

  it('counts wide characters twice, as X does', () => {
    expect(tweetLength('Өтініш')).toBe(6);
    expect(tweetLength('市')).toBe(2);
  });
});
