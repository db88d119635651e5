// The X filtered stream end to end: a real centre, real HTTP and database, and a fake X API. The rules in
// X_STREAM_RULES are synced on start (Qala's stale ones removed, others left alone); a matching tweet becomes one
// message (also when the mentions poller sees it too), a ticket and a reply in its thread; the stream reconnects
// after a cut, a close or a silent connection, waits for x-rate-limit-reset after a 429, backfills when asked,
// and stops promptly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/channels/connector.js';
import { readCursor } from '../../src/channels/connector.js';
import { XClient } from '../../src/channels/x/api.js';
import { ReconnectBackoff, ruleTag, XStream } from '../../src/channels/x/stream.js';
import { FakeX } from '../../src/demo/fakes/x.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';
import { AKIM, aigul, BEARER, inbound, john, ticketsFor, USER_TOKEN } from './x-fixtures.js';

const HEATING = '(астана OR astana) (отопление OR батареи OR ЖКХ) -is:retweet';
const HASHTAG = '#astana109';

describe('X filtered stream', () => {
  let x: FakeX;
  let c: TestCentre;
  let stale: string;
  const repliesTo = (tweetId: string) => x.posted.filter((p) => p.in_reply_to_tweet_id === tweetId);
  const stored = async (tweetId: string) => (await inbound(c, tweetId)).length === 1;

  beforeAll(async () => {
    x = await new FakeX({ bearer: BEARER, userToken: USER_TOKEN }).start();
    x.keepAliveMs = 200;
    // Already on X: one of Qala's rules still wanted, one no longer wanted, and a rule of another app of the project.
    x.rules.set('1', { id: '1', value: HASHTAG, tag: ruleTag(HASHTAG) });
    stale = '2';
    x.rules.set(stale, { id: stale, value: 'снег OR гололёд', tag: ruleTag('снег OR гололёд') });
    x.rules.set('3', { id: '3', value: 'marathon astana', tag: 'press-office' });
    c = await startTestCentre({
      X_BEARER_TOKEN: BEARER,
      X_USER_TOKEN: USER_TOKEN,
      X_API_URL: x.url,
      X_POLL_SECONDS: 0.2,
      X_WATCH_USER_IDS: [AKIM],
      X_STREAM_RULES: [HEATING, HASHTAG],
    });
    await waitFor('the stream to connect', () => x.openStreams === 1);
  });
  afterAll(async () => {
    await c?.close();
    await x?.stop();
  });

  it('syncs the rules on start: adds the missing one, deletes its own stale one, leaves the others alone', async () => {
    expect([...x.rules.values()].map((r) => r.value).sort()).toEqual([HASHTAG, HEATING, 'marathon astana'].sort());
    const changes = x.callsTo('rules').filter((call) => call.method === 'POST');
    expect(changes.map((call) => call.body)).toEqual([{ delete: { ids: [stale] } }, { add: [{ value: HEATING, tag: ruleTag(HEATING) }] }]);
    expect(changes.map((call) => call.status)).toEqual([200, 201]);
    expect(ruleTag(HEATING)).toMatch(/^qala:/);
    // App-only token everywhere; the stream asks for the same fields and expansions as the mentions poller.
    const stream = x.callsTo('stream');
    expect([...x.callsTo('rules'), ...stream].every((call) => call.auth === BEARER)).toBe(true);
    const mentions = await waitFor('a mentions poll', () => x.callsTo('mentions')[0]);
    for (const key of ['tweet.fields', 'expansions', 'user.fields']) expect(stream[0]?.query[key]).toBe(mentions.query[key]);
    expect(stream[0]?.query.backfill_minutes).toBeUndefined();
  });

  it('stores a streamed tweet once, opens a ticket, replies in its thread and posts the status update there', async () => {
    const noise = x.post('Погода сегодня отличная, гуляем в парке', john);
    const tweet = x.post(`${HASHTAG} Мусор не вывозят неделю, контейнеры переполнены во дворе дома на улице Бейбитшилик 25`, aigul);
    const ack = await waitFor('the acknowledgement', () => repliesTo(tweet.id)[0]);
    const [t] = await ticketsFor(c, tweet.id);
    expect(ack.text).toContain(t?.number);
    expect(ack.text).toMatch(/[а-я]/);
    const rows = await inbound(c, tweet.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ audience: 'public', thread_ref: tweet.conversation_id });
    expect(rows[0]?.raw).toMatchObject({
      tweet: { id: tweet.id, author_id: aigul.id },
      author: { username: aigul.username },
      matching_rules: [{ id: '1', tag: ruleTag(HASHTAG) }],
    });
    expect(await inbound(c, noise.id)).toHaveLength(0); // matched no rule: never streamed

    const token = await c.login('operator1@qala.demo');
    const r = await c.api(`/api/v1/tickets/${t?.number}/actions`, { token, body: { action: 'resolve', reason: 'Мусор вывезен' } });
    expect(r.status).toBe(200);
    const update = await waitFor('the status update', () => repliesTo(tweet.id)[1]);
    expect(update.text).toContain(t?.number);
    expect(repliesTo(tweet.id)).toHaveLength(2);
  });

  it('stores a tweet heard both on the stream and in the mentions as one message', async () => {
    const tweet = x.mention(AKIM, '@akim_astana Астана, в доме на улице Кенесары 40 холодные батареи, отопление не работает', aigul);
    await waitFor('the streamed tweet', () => stored(tweet.id));
    await waitFor(
      'the mentions poll past it',
      async () => (await readCursor(c.ctx.db, 'x', `mentions:${AKIM}`)) === JSON.stringify({ since_id: tweet.id }),
    );
    await waitFor('the acknowledgement', () => repliesTo(tweet.id)[0]);
    expect(await inbound(c, tweet.id)).toHaveLength(1);
    expect(await ticketsFor(c, tweet.id)).toHaveLength(1);
    expect(repliesTo(tweet.id)).toHaveLength(1);
  });

  it('reconnects after the stream is cut or closed by X, and goes on', async () => {
    for (const end of [() => x.cutStreams(), () => x.closeStreams()]) {
      const before = x.callsTo('stream').length;
      end();
      await waitFor('a new connection', () => x.callsTo('stream').length > before && x.openStreams === 1);
      const tweet = x.post(`${HASHTAG} Не горит уличное освещение во дворе дома на улице Сыганак 10`, john);
      await waitFor('the tweet after reconnecting', () => stored(tweet.id));
    }
  });

  it('on 429 when connecting waits for x-rate-limit-reset, then connects again', async () => {
    const before = x.callsTo('stream').length;
    const limited = x.rateLimit('stream', 1, 2);
    x.cutStreams();
    const reset = await limited;
    await waitFor('the connection after the reset', () => x.openStreams === 1);
    const calls = x.callsTo('stream').slice(before);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(calls[1]?.at).toBeGreaterThanOrEqual(reset * 1000 - 5);
    const tweet = x.post(`${HASHTAG} Яма на дороге у дома Кабанбай батыра 11, машины бьют колёса`, aigul);
    await waitFor('the tweet after the reset', () => stored(tweet.id));
  });

  it('stops promptly, while connected and while waiting to reconnect', async () => {
    const conn = c.connectors.find((k) => k.channel === 'x') as Connector;
    let t0 = Date.now();
    await conn.stop?.();
    expect(Date.now() - t0).toBeLessThan(1000);
    await waitFor('the connection to close', () => x.openStreams === 0, 2000);

    await conn.start?.();
    await waitFor('the stream to connect', () => x.openStreams === 1);
    const before = x.callsTo('stream').length;
    x.rateLimit('stream', 1, 600);
    x.cutStreams();
    await waitFor('the 429', () => x.callsTo('stream')[before]?.status === 429);
    t0 = Date.now();
    await conn.stop?.();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(x.callsTo('stream')).toHaveLength(before + 1);
  });

  // The connector is stopped from here on: the stream is driven directly, with a short stall timeout.
  it('treats a silent connection (no keep-alive) as dead and reconnects', async () => {
    const stream = new XStream(c.ctx, new XClient(x.url, c.ctx.log), BEARER, { rules: [HASHTAG], backfillMinutes: 0, stallMs: 600 });
    stream.start();
    try {
      await waitFor('the stream to connect', () => x.openStreams === 1);
      const before = x.callsTo('stream').length;
      x.silenceStreams();
      await waitFor('a new connection', () => x.callsTo('stream').length > before && x.openStreams === 1, 5000);
    } finally {
      await stream.stop();
    }
  });

  it('asks for backfill_minutes on reconnect and stores what was missed; drops it where the access level refuses it', async () => {
    const stream = new XStream(c.ctx, new XClient(x.url, c.ctx.log), BEARER, { rules: [HASHTAG], backfillMinutes: 2 });
    stream.start();
    try {
      await waitFor('the stream to connect', () => x.openStreams === 1);
      const before = x.callsTo('stream').length;
      const limited = x.rateLimit('stream', 1, 1);
      x.cutStreams();
      await limited;
      const missed = x.post(`${HASHTAG} Прорвало трубу на улице Бейбитшилик 25, вода заливает дорогу`, john);
      expect(x.openStreams).toBe(0);
      await waitFor('the missed tweet, backfilled', () => stored(missed.id));
      expect(
        x
          .callsTo('stream')
          .slice(before)
          .map((call) => [call.status, call.query.backfill_minutes]),
      ).toEqual([
        [429, '2'],
        [200, '2'],
      ]);

      x.backfillAvailable = false;
      const next = x.callsTo('stream').length;
      x.cutStreams();
      await waitFor('a connection without backfill', () => x.callsTo('stream')[next + 1]?.status === 200);
      expect(x.callsTo('stream')[next]).toMatchObject({ status: 400, query: { backfill_minutes: '2' } });
      expect(x.callsTo('stream')[next + 1]?.query.backfill_minutes).toBeUndefined();
    } finally {
      await stream.stop();
    }
  });
});

describe('reconnect backoff', () => {
  it('reconnects at once after a working connection drops, then backs off linearly for network errors', () => {
    const b = new ReconnectBackoff();
    expect(b.next({ kind: 'dropped', healthy: true })).toBe(0);
    expect([1, 2, 3].map(() => b.next({ kind: 'network' }))).toEqual([250, 500, 750]);
    for (let i = 0; i < 100; i++) b.next({ kind: 'network' });
    expect(b.next({ kind: 'network' })).toBe(16_000);
    expect(b.next({ kind: 'dropped', healthy: true })).toBe(0);
    expect(b.next({ kind: 'network' })).toBe(250);
  });

  it('backs off exponentially for HTTP errors, and after 429 until the reset or from a minute doubling', () => {
    const b = new ReconnectBackoff();
    expect([1, 2, 3].map(() => b.next({ kind: 'http', status: 503 }))).toEqual([5_000, 10_000, 20_000]);
    for (let i = 0; i < 10; i++) b.next({ kind: 'http', status: 503 });
    expect(b.next({ kind: 'http', status: 503 })).toBe(320_000);
    expect(b.next({ kind: 'rate', until: 1_000_000 + 42_000 }, 1_000_000)).toBe(42_000);
    expect(b.next({ kind: 'rate', until: null })).toBe(120_000); // the second 429 in a row
  });
});
