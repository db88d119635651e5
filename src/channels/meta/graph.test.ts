// The Graph client and the webhook signature against the fake Graph API: errors say what went wrong (rate limit,
// bad token) without leaking the token, and a throttled app waits as long as Meta asks.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../../demo/fakes/meta.js';
import { createLogger } from '../../log.js';
import { GraphClient, GraphError } from './graph.js';
import { validSignature } from './webhook.js';

const IG = '17841400000000009';
let graph: FakeGraph;
beforeAll(async () => {
  graph = await new FakeGraph({ token: 'tok', appSecret: 'sec', igUserId: IG }).start();
});
afterAll(() => graph?.stop());

const client = (token = 'tok') => new GraphClient({ baseUrl: graph.url, accessToken: token, appSecret: 'sec', log: createLogger('silent') });

describe('GraphClient', () => {
  it('sends the access token and appsecret_proof, and reads the answer', async () => {
    graph.media.set('m1', { id: 'm1', caption: 'hi', username: 'u', timestamp: '2026-01-01T00:00:00+0000' });
    const r = await client().get<{ mentioned_media: { caption: string } }>(IG, { fields: 'mentioned_media.media_id(m1){caption}' });
    expect(r.mentioned_media.caption).toBe('hi');
    expect(graph.calls.at(-1)?.params.appsecret_proof).toBe(createHmac('sha256', 'sec').update('tok').digest('hex'));
  });

  it('names a bad token (code 190) and never puts the token in the message', async () => {
    const err = await client('expired-token')
      .post(`${IG}/mentions`, { media_id: 'm1', message: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toMatch(/access token invalid or expired on POST \/\d+\/mentions \(HTTP 400, code 190\)/);
    expect(err.message).not.toContain('expired-token');
    expect(err.rateLimited).toBe(false);
  });

  it('marks rate limits and pauses for the time Meta asks before calling again', async () => {
    graph.fail('rate-limit');
    const c = client();
    const first = await c.get(IG).catch((e) => e);
    expect(first).toMatchObject({ rateLimited: true, code: 4 });
    expect(first.message).toMatch(/rate limit/);
    const calls = graph.calls.length;
    // estimated_time_to_regain_access is 0 in the fake: no pause, the next call goes out.
    await expect(c.get(IG)).resolves.toMatchObject({ id: IG });
    expect(graph.calls.length).toBe(calls + 1);
  });
});

describe('validSignature', () => {
  const body = Buffer.from('{"object":"page","entry":[]}');
  const sign = (key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  it('accepts the app secret’s HMAC of the raw bytes and nothing else', () => {
    expect(validSignature('sec', body, sign('sec'))).toBe(true);
    expect(validSignature('sec', body, sign('other'))).toBe(false);
    expect(validSignature('sec', Buffer.from(`${body} `), sign('sec'))).toBe(false);
    expect(validSignature('sec', body, sign('sec').replace('sha256=', 'sha1='))).toBe(false);
    expect(validSignature('sec', body, 'sha256=abc')).toBe(false);
    expect(validSignature('sec', body, undefined)).toBe(false);
  });
});
