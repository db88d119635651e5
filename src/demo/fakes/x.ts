// A stand-in for the two X API v2 endpoints Qala uses, used by the tests and by the demo feed (src/demo/feed.ts),
// on 127.0.0.1 (a free port): GET /2/users/:id/mentions (app bearer token, since_id, pagination_token, newest
// first, meta.next_token) and POST /2/tweets (user-context token, 280 characters, reply.in_reply_to_tweet_id must
// exist, duplicate text refused). Every answer carries the x-rate-limit-* headers; `rateLimit` makes the next
// calls of an endpoint answer 429 until a reset time. It never talks to X.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  conversation_id: string;
  created_at: string;
  lang?: string;
  /** The watched user ids this tweet mentions. */
  mentions: string[];
}
export interface FakeUser {
  id: string;
  username: string;
  name: string;
}
export interface XCall {
  method: string;
  path: string;
  endpoint: 'mentions' | 'tweets' | 'other';
  query: Record<string, string>;
  auth: string;
  body: unknown;
  status: number;
  at: number;
}

const TWEET_FIELDS = new Set(['created_at', 'author_id', 'conversation_id', 'lang', 'geo', 'entities', 'referenced_tweets', 'public_metrics']);
const WINDOW_LIMIT = { mentions: 450, tweets: 100 };

export class FakeX {
  readonly calls: XCall[] = [];
  readonly tweets = new Map<string, FakeTweet>();
  readonly users = new Map<string, FakeUser>();
  /** Tweets created through POST /2/tweets. */
  readonly posted: { id: string; text: string; in_reply_to_tweet_id: string }[] = [];
  /** The most a mentions page holds, whatever max_results asks (X may answer fewer than asked). */
  pageSize = 100;
  private readonly limited = new Map<
    string,
    { times: number; after: number; resetInSeconds: number; reset: number | null; resolve: (reset: number) => void }
  >();
  private server: Server | null = null;
  private seq = 1_900_000_000_000_000_000n;
  url = '';
  /** Called with every reply posted (the demo logs them). */
  onReply: ((inReplyTo: string, text: string) => void) | undefined;

  constructor(readonly opts: { bearer: string; userToken: string }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => this.send(res, 500, 'other', { title: 'Internal Error', detail: String(err) }));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** A resident's tweet mentioning the watched account(s). Ids grow with time, as X's do. */
  mention(watched: string | string[], text: string, author: FakeUser, opts: { id?: string; conversationId?: string; lang?: string } = {}): FakeTweet {
    this.users.set(author.id, author);
    const id = opts.id ?? String(this.seq++);
    const t: FakeTweet = {
      id,
      text,
      author_id: author.id,
      conversation_id: opts.conversationId ?? id,
      created_at: new Date().toISOString(),
      mentions: Array.isArray(watched) ? watched : [watched],
      ...(opts.lang ? { lang: opts.lang } : {}),
    };
    this.tweets.set(id, t);
    return t;
  }

  /**
   * After `after` more successful calls, the next `times` calls to the endpoint answer 429 with x-rate-limit-reset
   * `resetInSeconds` after the first refused call. Answers a promise of the reset (epoch seconds) once one is refused.
   */
  rateLimit(endpoint: 'mentions' | 'tweets', times: number, resetInSeconds: number, after = 0): Promise<number> {
    return new Promise((resolve) => this.limited.set(endpoint, { times, after, resetInSeconds, reset: null, resolve }));
  }

  callsTo(endpoint: XCall['endpoint']) {
    return this.calls.filter((c) => c.endpoint === endpoint);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(u.searchParams);
    const raw = await new Promise<string>((r) => {
      let b = '';
      req.on('data', (d: Buffer) => {
        b += d.toString();
      });
      req.on('end', () => r(b));
    });
    const body = raw ? JSON.parse(raw) : null;
    const auth = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const mentions = /^\/2\/users\/([^/]+)\/mentions$/.exec(u.pathname);
    const endpoint: XCall['endpoint'] =
      mentions && req.method === 'GET' ? 'mentions' : u.pathname === '/2/tweets' && req.method === 'POST' ? 'tweets' : 'other';
    const call: XCall = { method: req.method ?? '', path: u.pathname, endpoint, query, auth, body, status: 0, at: Date.now() };
    this.calls.push(call);
    const answer = (status: number, payload: unknown) => {
      call.status = status;
      this.send(res, status, endpoint, payload);
    };
    if (endpoint === 'other') return answer(404, { title: 'Not Found Error', detail: `no route ${req.method} ${u.pathname}` });
    const limit = this.limited.get(endpoint);
    if (limit && limit.times > 0 && limit.after-- <= 0) {
      limit.times--;
      if (limit.reset === null) {
        limit.reset = Math.ceil(Date.now() / 1000) + limit.resetInSeconds;
        limit.resolve(limit.reset);
      }
      call.status = 429;
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-rate-limit-limit': String(WINDOW_LIMIT[endpoint]),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(limit.reset),
      });
      res.end(JSON.stringify({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }));
      return;
    }
    if (endpoint === 'mentions') {
      if (auth !== this.opts.bearer) return answer(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      return answer(...this.mentionsPage(mentions?.[1] as string, query));
    }
    if (auth === this.opts.bearer)
      return answer(403, {
        title: 'Unsupported Authentication',
        detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.',
        type: 'https://api.twitter.com/2/problems/unsupported-authentication',
        status: 403,
      });
    if (auth !== this.opts.userToken) return answer(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    return answer(...this.createTweet(body));
  }

  private mentionsPage(userId: string, q: Record<string, string>): [number, unknown] {
    const invalid = (message: string): [number, unknown] => [
      400,
      { errors: [{ message }], title: 'Invalid Request', type: 'https://api.twitter.com/2/problems/invalid-request' },
    ];
    const max = q.max_results === undefined ? 10 : Number(q.max_results);
    if (!Number.isInteger(max) || max < 5 || max > 100) return invalid('The `max_results` query parameter value is not between 5 and 100');
    for (const f of (q['tweet.fields'] ?? '').split(',').filter(Boolean))
      if (!TWEET_FIELDS.has(f)) return invalid(`The \`tweet.fields\` value [${f}] is not one of the allowed values`);
    if (q.since_id !== undefined && !/^\d{1,19}$/.test(q.since_id)) return invalid('The `since_id` query parameter value is not valid');
    let until: bigint | null = null;
    let offset = 0;
    if (q.pagination_token !== undefined) {
      try {
        const t = JSON.parse(Buffer.from(q.pagination_token, 'base64url').toString()) as { until: string; offset: number; since: string | null };
        if ((t.since ?? null) !== (q.since_id ?? null)) return invalid('The pagination token does not match the query');
        until = BigInt(t.until);
        offset = t.offset;
      } catch {
        return invalid('The `pagination_token` query parameter value is not valid');
      }
    }
    const since = q.since_id ? BigInt(q.since_id) : null;
    const all = [...this.tweets.values()]
      .filter((t) => t.mentions.includes(userId))
      .filter((t) => since === null || BigInt(t.id) > since)
      .filter((t) => until === null || BigInt(t.id) <= until)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const size = Math.min(max, this.pageSize);
    const page = all.slice(offset, offset + size);
    if (page.length === 0) return [200, { meta: { result_count: 0 } }];
    const snapshot = until ?? BigInt((all[0] as FakeTweet).id);
    const next =
      offset + size < all.length
        ? Buffer.from(JSON.stringify({ until: String(snapshot), offset: offset + size, since: q.since_id ?? null })).toString('base64url')
        : undefined;
    const fields = new Set((q['tweet.fields'] ?? '').split(','));
    const data = page.map((t) => {
      const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
      for (const f of ['created_at', 'author_id', 'conversation_id', 'lang'] as const) if (fields.has(f) && t[f] !== undefined) out[f] = t[f];
      if (fields.has('entities'))
        out.entities = { mentions: t.mentions.map((id) => ({ id, username: this.users.get(id)?.username ?? `user${id}` })) };
      return out;
    });
    const users = (q.expansions ?? '').split(',').includes('author_id')
      ? [...new Set(page.map((t) => t.author_id))].map((id) => this.users.get(id)).filter(Boolean)
      : undefined;
    return [
      200,
      {
        data,
        ...(users ? { includes: { users } } : {}),
        meta: { result_count: page.length, newest_id: page[0]?.id, oldest_id: page[page.length - 1]?.id, ...(next ? { next_token: next } : {}) },
      },
    ];
  }

  private createTweet(body: unknown): [number, unknown] {
    const b = body as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } } | null;
    const invalid = (message: string): [number, unknown] => [
      400,
      { errors: [{ message }], title: 'Invalid Request', type: 'https://api.twitter.com/2/problems/invalid-request' },
    ];
    if (typeof b?.text !== 'string' || !b.text) return invalid('text is required');
    if ([...b.text].length > 280) return [403, { detail: 'Your Tweet text is too long.', status: 403, title: 'Forbidden', type: 'about:blank' }];
    const inReplyTo = b.reply?.in_reply_to_tweet_id;
    if (b.reply && (typeof inReplyTo !== 'string' || !this.tweets.has(inReplyTo)))
      return [
        403,
        { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', status: 403, title: 'Forbidden', type: 'about:blank' },
      ];
    if (this.posted.some((p) => p.text === b.text))
      return [403, { detail: 'You are not allowed to create a Tweet with duplicate content.', status: 403, title: 'Forbidden', type: 'about:blank' }];
    const id = String(this.seq++);
    this.posted.push({ id, text: b.text, in_reply_to_tweet_id: String(inReplyTo ?? '') });
    this.onReply?.(String(inReplyTo ?? ''), b.text);
    return [201, { data: { id, text: b.text, edit_history_tweet_ids: [id] } }];
  }

  private send(res: ServerResponse, status: number, endpoint: XCall['endpoint'], payload: unknown) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (endpoint !== 'other') {
      headers['x-rate-limit-limit'] = String(WINDOW_LIMIT[endpoint]);
      headers['x-rate-limit-remaining'] = String(WINDOW_LIMIT[endpoint] - 1);
      headers['x-rate-limit-reset'] = String(Math.ceil(Date.now() / 1000) + 900);
    }
    res.writeHead(status, headers);
    res.end(JSON.stringify(payload));
  }
}
