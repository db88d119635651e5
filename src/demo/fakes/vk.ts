// A stand-in for the VK API methods Qala uses (wall.createComment, messages.send), used by the tests and by the
// demo feed (src/demo/feed.ts), on 127.0.0.1 (a free port): form-encoded or query parameters, access_token and v
// checked, VK's error envelope ({error: {error_code, error_msg}} with HTTP 200), `guid` and `random_id`
// de-duplicated as VK does. `failNext` injects errors (6: too many requests per second). `callback` POSTs a
// Callback API event to the centre, as VK does (with the server's secret, or a wrong one). It never talks to VK.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VkCall {
  method: string;
  params: Record<string, string>;
  error: number | null;
}
export interface VkComment {
  id: number;
  owner_id: number;
  post_id: number;
  reply_to_comment: number | null;
  from_group: number | null;
  message: string;
  guid: string | null;
}
export interface VkMessage {
  id: number;
  peer_id: number;
  random_id: number;
  message: string;
}

const ERRORS: Record<number, string> = {
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  8: 'Invalid request: v (version) is required',
  9: 'Flood control',
  29: 'Rate limit reached',
  100: 'One of the parameters specified was missing or invalid',
};

export class FakeVk {
  readonly calls: VkCall[] = [];
  readonly comments: VkComment[] = [];
  readonly messages: VkMessage[] = [];
  private failures: { method: string; code: number; times: number }[] = [];
  private server: Server | null = null;
  private seq = 500;
  url = '';
  /** Called with every comment or message the community posts (the demo logs them). */
  onReply: ((to: string, text: string) => void) | undefined;

  constructor(readonly opts: { token: string; groupId: number }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/method`;
    return this;
  }

  async stop() {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** The next `times` calls of `method` fail with VK error `code`. */
  failNext(method: string, code: number, times = 1) {
    this.failures.push({ method, code, times });
  }

  callsOf(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://vk');
    const raw = await new Promise<string>((r) => {
      let b = '';
      req.on('data', (d: Buffer) => {
        b += d.toString();
      });
      req.on('end', () => r(b));
    });
    const params = { ...Object.fromEntries(u.searchParams), ...Object.fromEntries(new URLSearchParams(raw)) };
    const method = u.pathname.replace(/^\/method\//, '');
    const call: VkCall = { method, params, error: null };
    this.calls.push(call);
    const fail = (code: number) => {
      call.error = code;
      this.json(res, {
        error: { error_code: code, error_msg: ERRORS[code] ?? 'Unknown error occurred', request_params: [{ key: 'method', value: method }] },
      });
    };
    if (params.access_token !== this.opts.token) return fail(5);
    if (!params.v) return fail(8);
    const failure = this.failures.find((f) => f.method === method && f.times > 0);
    if (failure) {
      failure.times--;
      return fail(failure.code);
    }
    if (method === 'wall.createComment') {
      const ownerId = Number(params.owner_id);
      const postId = Number(params.post_id);
      if (!Number.isInteger(ownerId) || !Number.isInteger(postId) || !params.message) return fail(100);
      const again = params.guid ? this.comments.find((c) => c.guid === params.guid) : undefined;
      if (again) return this.json(res, { response: { comment_id: again.id, parents_stack: [] } });
      const c: VkComment = {
        id: this.seq++,
        owner_id: ownerId,
        post_id: postId,
        reply_to_comment: params.reply_to_comment ? Number(params.reply_to_comment) : null,
        from_group: params.from_group ? Number(params.from_group) : null,
        message: params.message,
        guid: params.guid ?? null,
      };
      this.comments.push(c);
      this.onReply?.(`wall${c.owner_id}_${c.post_id}`, c.message);
      return this.json(res, { response: { comment_id: c.id, parents_stack: c.reply_to_comment ? [c.reply_to_comment] : [] } });
    }
    if (method === 'messages.send') {
      const peerId = Number(params.peer_id);
      const randomId = Number(params.random_id);
      if (!Number.isInteger(peerId) || params.random_id === undefined || !Number.isInteger(randomId) || !params.message) return fail(100);
      // VK sends a message with a repeated random_id (same sender and peer) once, and answers its id again.
      const again = this.messages.find((m) => m.peer_id === peerId && m.random_id === randomId);
      if (again) return this.json(res, { response: again.id });
      const m: VkMessage = { id: this.seq++, peer_id: peerId, random_id: randomId, message: params.message };
      this.messages.push(m);
      this.onReply?.(`peer${m.peer_id}`, m.message);
      return this.json(res, { response: m.id });
    }
    res.writeHead(404);
    res.end();
  }

  private json(res: ServerResponse, body: unknown) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

/** POSTs a Callback API event to the centre as VK does; answers the status and the plain-text body. */
export async function callback(
  centreUrl: string,
  event: { type: string; group_id: number; event_id?: string; object?: Record<string, unknown>; secret?: string },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${centreUrl}/channels/vk/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ v: '5.199', ...event }),
  });
  return { status: res.status, text: await res.text() };
}
