// A stand-in for the X API v2 endpoints Qala uses, used by the tests and by the demo feed (src/demo/feed.ts),
// on 127.0.0.1 (a free port): GET /2/users/:id/mentions (app bearer token, since_id, pagination_token, newest
// first, meta.next_token), POST /2/tweets (user-context token, 280 characters, reply.in_reply_to_tweet_id must
// exist, duplicate text refused), and the filtered stream: GET/POST /2/tweets/search/stream/rules and
// GET /2/tweets/search/stream (app bearer token; newline-delimited JSON with matching_rules, \r\n keep-alives,
// backfill_minutes 1–5). Tweets are matched against the rules with a small subset of X's rule syntax (words,
// "phrases", #hashtags, OR, -negation, parentheses, lang:). The test can cut, close or silence the stream. Every
// answer carries the x-rate-limit-* headers; `rateLimit` makes the next calls of an endpoint answer 429 until a
// reset time. It never talks to X.
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
  endpoint: 'mentions' | 'tweets' | 'rules' | 'stream' | 'other';
  query: Record<string, string>;
  auth: string;
  body: unknown;
  status: number;
  at: number;
}

const TWEET_FIELDS = new Set(['created_at', 'author_id', 'conversation_id', 'lang', 'geo', 'entities', 'referenced_tweets', 'public_metrics']);
const WINDOW_LIMIT = { mentions: 450, tweets: 100, rules: 450, stream: 50 };
type Limited = keyof typeof WINDOW_LIMIT;
export interface FakeRule {
  id: string;
  value: string;
  tag?: string;
}
interface OpenStream {
  res: ServerResponse;
  keepAlive: NodeJS.Timeout;
  /** The connection's query: which fields and expansions each tweet carries. */
  query: Record<string, string>;
}

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
  /** The app's filtered-stream rules, by id. */
  readonly rules = new Map<string, FakeRule>();
  /** Whether backfill_minutes is allowed (X offers it on some access levels only). */
  backfillAvailable = true;
  /** The most rules the app may have (the cap depends on the access level). */
  maxRules = 25;
  /** Interval of the \r\n keep-alive on open streams (X: 20 s). */
  keepAliveMs = 20_000;
  private readonly streams = new Set<OpenStream>();
  /** Every tweet with the time it was posted, for backfill. */
  private readonly history: { tweet: FakeTweet; at: number }[] = [];
  private ruleSeq = 1_800_000_000_000_000_000n;
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
    this.cutStreams();
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
    this.history.push({ tweet: t, at: Date.now() });
    for (const s of this.streams) this.streamTweet(s, t);
    return t;
  }

  /** A tweet that mentions no watched account: heard only through the filtered stream, if a rule matches it. */
  post(text: string, author: FakeUser, opts: { id?: string; conversationId?: string; lang?: string } = {}): FakeTweet {
    return this.mention([], text, author, opts);
  }

  /** How many stream connections are open now. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Cuts every open stream as a network failure would (no goodbye). */
  cutStreams() {
    for (const s of this.streams) {
      clearInterval(s.keepAlive);
      s.res.destroy();
    }
    this.streams.clear();
  }

  /** Ends every open stream as X does for maintenance: an operational-disconnect message, then the end. */
  closeStreams() {
    for (const s of this.streams) {
      clearInterval(s.keepAlive);
      s.res.end(
        `${JSON.stringify({
          errors: [
            {
              title: 'operational-disconnect',
              disconnect_type: 'UpstreamOperationalDisconnect',
              detail: 'This stream has been disconnected upstream for operational reasons.',
              type: 'https://api.twitter.com/2/problems/operational-disconnect',
            },
          ],
        })}\r\n`,
      );
    }
    this.streams.clear();
  }

  /** Keeps open streams open but sends nothing more on them, not even keep-alives (a dead connection). */
  silenceStreams() {
    for (const s of this.streams) clearInterval(s.keepAlive);
  }

  /**
   * After `after` more successful calls, the next `times` calls to the endpoint answer 429 with x-rate-limit-reset
   * `resetInSeconds` after the first refused call. Answers a promise of the reset (epoch seconds) once one is refused.
   */
  rateLimit(endpoint: Limited, times: number, resetInSeconds: number, after = 0): Promise<number> {
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
      mentions && req.method === 'GET'
        ? 'mentions'
        : u.pathname === '/2/tweets' && req.method === 'POST'
          ? 'tweets'
          : u.pathname === '/2/tweets/search/stream/rules' && (req.method === 'GET' || req.method === 'POST')
            ? 'rules'
            : u.pathname === '/2/tweets/search/stream' && req.method === 'GET'
              ? 'stream'
              : 'other';
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
    if (endpoint === 'mentions' || endpoint === 'rules' || endpoint === 'stream') {
      // App-only endpoints: the user-context token is refused, as X does.
      if (auth === this.opts.userToken) return answer(403, UNSUPPORTED_AUTH('OAuth 2.0 User Context'));
      if (auth !== this.opts.bearer) return answer(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      if (endpoint === 'mentions') return answer(...this.mentionsPage(mentions?.[1] as string, query));
      if (endpoint === 'rules') return answer(...(req.method === 'GET' ? this.listRules(query) : this.changeRules(body)));
      const refused = this.streamRefusal(query);
      if (refused) return answer(...refused);
      call.status = 200;
      return this.openStream(res, query);
    }
    if (auth === this.opts.bearer) return answer(403, UNSUPPORTED_AUTH('OAuth 2.0 Application-Only'));
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
    const data = page.map((t) => this.present(t, q));
    const users = this.authors(page, q);
    return [
      200,
      {
        data,
        ...(users ? { includes: { users } } : {}),
        meta: { result_count: page.length, newest_id: page[0]?.id, oldest_id: page[page.length - 1]?.id, ...(next ? { next_token: next } : {}) },
      },
    ];
  }

  /** A tweet with the fields the query asks for. */
  private present(t: FakeTweet, q: Record<string, string>): Record<string, unknown> {
    const fields = new Set((q['tweet.fields'] ?? '').split(','));
    const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
    for (const f of ['created_at', 'author_id', 'conversation_id', 'lang'] as const) if (fields.has(f) && t[f] !== undefined) out[f] = t[f];
    if (fields.has('entities')) out.entities = { mentions: t.mentions.map((id) => ({ id, username: this.users.get(id)?.username ?? `user${id}` })) };
    return out;
  }

  private authors(tweets: FakeTweet[], q: Record<string, string>) {
    return (q.expansions ?? '').split(',').includes('author_id')
      ? [...new Set(tweets.map((t) => t.author_id))].map((id) => this.users.get(id)).filter(Boolean)
      : undefined;
  }

  private listRules(q: Record<string, string>): [number, unknown] {
    const ids = q.ids ? new Set(q.ids.split(',')) : null;
    const data = [...this.rules.values()].filter((r) => ids === null || ids.has(r.id));
    const meta = { sent: new Date().toISOString(), result_count: data.length };
    return [200, data.length ? { data, meta } : { meta }];
  }

  private changeRules(body: unknown): [number, unknown] {
    const b = body as { add?: { value?: unknown; tag?: unknown }[]; delete?: { ids?: unknown } } | null;
    const sent = new Date().toISOString();
    if (b?.delete && Array.isArray(b.delete.ids) && !b.add) {
      const errors: unknown[] = [];
      let deleted = 0;
      for (const id of b.delete.ids as string[]) {
        if (this.rules.delete(String(id))) deleted++;
        else errors.push({ errors: [{ parameters: {}, message: 'Rule does not exist' }], title: 'Invalid Request', id: String(id) });
      }
      return [200, { meta: { sent, summary: { deleted, not_deleted: errors.length } }, ...(errors.length ? { errors } : {}) }];
    }
    if (!Array.isArray(b?.add) || b.delete) return INVALID('The request body must have either `add` or `delete`');
    const data: FakeRule[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const r of b.add) {
      const value = typeof r.value === 'string' ? r.value : '';
      const problem = ruleProblem(value);
      if (problem) errors.push({ value, details: [problem], title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });
      else if ([...this.rules.values()].some((x) => x.value === value) || data.some((x) => x.value === value))
        errors.push({
          value,
          id: [...this.rules.values()].find((x) => x.value === value)?.id,
          title: 'DuplicateRule',
          type: 'https://api.twitter.com/2/problems/duplicate-rules',
        });
      else data.push({ id: String(this.ruleSeq++), value, ...(typeof r.tag === 'string' ? { tag: r.tag } : {}) });
    }
    const summary = { created: 0, not_created: errors.length, valid: data.length, invalid: errors.length };
    // An invalid rule refuses the whole request; a duplicate only itself. Over the cap: nothing is created.
    if (errors.some((e) => e.title === 'UnprocessableEntity')) return [400, { errors, meta: { sent, summary } }];
    if (this.rules.size + data.length > this.maxRules)
      return [
        403,
        {
          title: 'RulesCapExceeded',
          detail: `Rule cap of ${this.maxRules} exceeded`,
          type: 'https://api.twitter.com/2/problems/rule-cap',
          status: 403,
        },
      ];
    for (const r of data) this.rules.set(r.id, r);
    summary.created = data.length;
    return [201, { ...(data.length ? { data } : {}), meta: { sent, summary }, ...(errors.length ? { errors } : {}) }];
  }

  private streamRefusal(q: Record<string, string>): [number, unknown] | null {
    for (const f of (q['tweet.fields'] ?? '').split(',').filter(Boolean))
      if (!TWEET_FIELDS.has(f)) return INVALID(`The \`tweet.fields\` value [${f}] is not one of the allowed values`);
    if (q.backfill_minutes !== undefined) {
      const n = Number(q.backfill_minutes);
      if (!Number.isInteger(n) || n < 1 || n > 5) return INVALID('The `backfill_minutes` query parameter value is not between 1 and 5');
      if (!this.backfillAvailable) return INVALID('The `backfill_minutes` query parameter is not available at your access level');
    }
    return null;
  }

  /** Holds the response open: backfilled tweets first, then live ones, and a keep-alive at each interval. */
  private openStream(res: ServerResponse, q: Record<string, string>) {
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-rate-limit-limit': String(WINDOW_LIMIT.stream),
      'x-rate-limit-remaining': String(WINDOW_LIMIT.stream - 1),
      'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 900),
    });
    res.flushHeaders(); // X answers the headers at once; the body follows as tweets match
    const s: OpenStream = { res, keepAlive: setInterval(() => res.write('\r\n'), this.keepAliveMs), query: q };
    this.streams.add(s);
    res.on('close', () => {
      clearInterval(s.keepAlive);
      this.streams.delete(s);
    });
    const from = q.backfill_minutes ? Date.now() - Number(q.backfill_minutes) * 60_000 : Number.POSITIVE_INFINITY;
    for (const h of this.history) if (h.at >= from) this.streamTweet(s, h.tweet);
  }

  private streamTweet({ res, query: q }: OpenStream, t: FakeTweet) {
    const matching = [...this.rules.values()].filter((r) => ruleMatches(r.value, t)).map((r) => ({ id: r.id, tag: r.tag ?? '' }));
    if (matching.length === 0) return;
    const users = this.authors([t], q);
    res.write(`${JSON.stringify({ data: this.present(t, q), ...(users ? { includes: { users } } : {}), matching_rules: matching })}\r\n`);
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

const UNSUPPORTED_AUTH = (kind: string) => ({
  title: 'Unsupported Authentication',
  detail: `Authenticating with ${kind} is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].`,
  type: 'https://api.twitter.com/2/problems/unsupported-authentication',
  status: 403,
});

const INVALID = (message: string): [number, unknown] => [
  400,
  {
    errors: [{ message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  },
];

// A small subset of X's rule language: terms are words, "quoted phrases" or #hashtags (case-insensitive, found
// in the text), a space is AND, OR is OR (AND binds first), `-` negates, parentheses group; lang:xx compares the
// tweet's language, is:retweet is false (the fake has no retweets), other operators are taken as true.
type Node = { and: Node[] } | { or: Node[] } | { not: Node } | { term: string };

function tokenize(value: string): string[] {
  return value.match(/-?"[^"]*"|[()]|[^\s()]+/g) ?? [];
}

function parseRule(value: string): Node {
  const tokens = tokenize(value);
  let i = 0;
  const expr = (): Node => {
    const alternatives: Node[] = [seq()];
    while (tokens[i] === 'OR') {
      i++;
      alternatives.push(seq());
    }
    return alternatives.length === 1 ? (alternatives[0] as Node) : { or: alternatives };
  };
  const seq = (): Node => {
    const items: Node[] = [];
    while (i < tokens.length && tokens[i] !== ')' && tokens[i] !== 'OR') items.push(item());
    if (items.length === 0) throw new Error('an empty clause');
    return items.length === 1 ? (items[0] as Node) : { and: items };
  };
  const item = (): Node => {
    let tok = tokens[i++] as string;
    const negated = tok.startsWith('-') && tok.length > 1;
    if (negated) tok = tok.slice(1);
    let node: Node;
    if (tok === '(' || tok === '-(') {
      node = expr();
      if (tokens[i++] !== ')') throw new Error('unbalanced parentheses');
    } else if (tok === ')') throw new Error('unbalanced parentheses');
    else node = { term: tok.replace(/^"|"$/g, '') };
    return negated ? { not: node } : node;
  };
  // "-(" arrives as "-" then "(": join them.
  for (let k = 0; k < tokens.length - 1; k++) if (tokens[k] === '-' && tokens[k + 1] === '(') tokens.splice(k, 2, '-(');
  const root = expr();
  if (i < tokens.length) throw new Error('unbalanced parentheses');
  return root;
}

function ruleProblem(value: string): string | null {
  if (!value.trim()) return 'A rule must not be empty';
  if (value.length > 512) return 'Rules must be at most 512 characters';
  try {
    const root = parseRule(value);
    if ('not' in root) return 'Rules must contain a non-negation term';
    return null;
  } catch (err) {
    return `There were errors processing your rule: ${(err as Error).message}`;
  }
}

function ruleMatches(value: string, t: FakeTweet): boolean {
  let root: Node;
  try {
    root = parseRule(value);
  } catch {
    return false;
  }
  const text = t.text.toLowerCase();
  const test = (n: Node): boolean => {
    if ('and' in n) return n.and.every(test);
    if ('or' in n) return n.or.some(test);
    if ('not' in n) return !test(n.not);
    const term = n.term.toLowerCase();
    if (term === 'is:retweet') return false;
    if (term.startsWith('lang:')) return t.lang === term.slice(5);
    if (/^[a-z_]+:/.test(term)) return true;
    return text.includes(term);
  };
  return test(root);
}
