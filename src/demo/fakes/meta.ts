// A stand-in for the parts of Meta's Graph API that Qala uses (Instagram mentions and tags, Facebook Page
// comments), used by the tests and by the demo feed (src/demo/feed.ts). It listens on 127.0.0.1 (a free port),
// checks the access token and appsecret_proof as Graph does, answers with Graph's shapes and error envelopes,
// records every call, and can be told to fail (rate limit, server error). `sendWebhook` POSTs a notification to the
// centre signed with X-Hub-Signature-256 as Meta does (or signed wrongly, or not at all). It never talks to Meta.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const VERSION = 'v21.0';

export interface GraphCall {
  method: string;
  path: string;
  params: Record<string, string>;
  status: number;
}

export interface IgComment {
  id: string;
  text: string;
  username: string;
  timestamp: string;
  media_id: string;
}
export interface IgMedia {
  id: string;
  caption: string;
  username: string;
  timestamp: string;
}
export interface FbObject {
  id: string;
  message?: string;
  from?: { id: string; name: string };
}

type FailureKind = 'rate-limit' | 'server' | 'token';
interface Failure {
  method?: string;
  path?: RegExp;
  kind: FailureKind;
  times: number;
}

/** Graph's timestamp format: 2024-05-01T10:00:00+0000. */
export const graphTime = (d: Date) => `${d.toISOString().slice(0, 19)}+0000`;

export class FakeGraph {
  readonly calls: GraphCall[] = [];
  readonly comments = new Map<string, IgComment>();
  readonly media = new Map<string, IgMedia>();
  /** Media ids in which the IG account is tagged (GET /{ig-user-id}/tags answers them newest first). */
  readonly tagged: string[] = [];
  readonly objects = new Map<string, FbObject>();
  /** Replies created through POST /{ig-user-id}/mentions and POST /{object-id}/comments. */
  readonly replies: { id: string; on: string; media_id?: string; comment_id?: string; message: string }[] = [];
  /** Page size of /tags, whatever `limit` asks (Graph may answer fewer than asked). */
  pageSize = 25;
  private failures: Failure[] = [];
  private server: Server | null = null;
  private seq = 1000;
  url = '';
  /** Called with every reply posted (the demo logs them). */
  onReply: ((on: string, text: string) => void) | undefined;

  constructor(readonly opts: { token: string; appSecret: string; igUserId?: string; pageId?: string }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => this.send(res, 500, { error: { message: String(err), code: 1 } }));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${VERSION}`;
    return this;
  }

  async stop() {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** The next `times` matching calls fail. */
  fail(kind: FailureKind, opts: { method?: string; path?: RegExp; times?: number } = {}) {
    this.failures.push({ kind, method: opts.method, path: opts.path, times: opts.times ?? 1 });
  }

  callsTo(method: string, path: RegExp) {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://x');
    const params: Record<string, string> = Object.fromEntries(u.searchParams);
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      Object.assign(params, Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    }
    const prefix = `/${VERSION}/`;
    const path = u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) : u.pathname;
    const record = (status: number) => this.calls.push({ method: req.method ?? '', path, params, status });

    if (params.access_token !== this.opts.token) {
      record(400);
      return this.send(res, 400, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } });
    }
    const proof = createHmac('sha256', this.opts.appSecret).update(this.opts.token).digest('hex');
    if (params.appsecret_proof !== proof) {
      record(400);
      return this.send(res, 400, {
        error: { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 },
      });
    }
    const failure = this.failures.find((f) => (!f.method || f.method === req.method) && (!f.path || f.path.test(path)) && f.times > 0);
    if (failure) {
      failure.times--;
      if (failure.kind === 'rate-limit') {
        record(400);
        const usage = JSON.stringify({
          [this.opts.igUserId ?? this.opts.pageId ?? 'x']: [
            { type: 'instagram', call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: 0 },
          ],
        });
        res.setHeader('x-app-usage', JSON.stringify({ call_count: 100, total_time: 40, total_cputime: 30 }));
        res.setHeader('x-business-use-case-usage', usage);
        return this.send(res, 400, {
          error: { message: '(#4) Application request limit reached', type: 'OAuthException', is_transient: true, code: 4 },
        });
      }
      if (failure.kind === 'token') {
        record(400);
        return this.send(res, 400, {
          error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190, error_subcode: 463 },
        });
      }
      record(500);
      return this.send(res, 500, {
        error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', is_transient: true, code: 2 },
      });
    }
    const [status, body] = this.route(req.method ?? 'GET', path, params);
    record(status);
    this.send(res, status, body);
  }

  private route(method: string, path: string, p: Record<string, string>): [number, unknown] {
    const parts = path.split('/').filter(Boolean);
    const missing = (name: string): [number, unknown] => [
      400,
      { error: { message: `(#100) The parameter ${name} is required`, type: 'OAuthException', code: 100 } },
    ];
    const unknown: [number, unknown] = [
      400,
      {
        error: {
          message: 'Unsupported request - object does not exist or cannot be loaded',
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
        },
      },
    ];
    const ig = this.opts.igUserId;
    if (ig && parts[0] === ig) {
      if (method === 'GET' && parts.length === 1) {
        const fields = p.fields ?? '';
        const c = /^mentioned_comment\.comment_id\(([^)]+)\)/.exec(fields);
        if (c) {
          const found = this.comments.get(c[1] as string);
          if (!found) return unknown;
          return [
            200,
            {
              mentioned_comment: {
                id: found.id,
                text: found.text,
                timestamp: found.timestamp,
                username: found.username,
                media: { id: found.media_id },
              },
              id: ig,
            },
          ];
        }
        const m = /^mentioned_media\.media_id\(([^)]+)\)/.exec(fields);
        if (m) {
          const found = this.media.get(m[1] as string);
          if (!found) return unknown;
          return [200, { mentioned_media: { ...found, media_type: 'IMAGE', permalink: `https://www.instagram.com/p/${found.id}/` }, id: ig }];
        }
        return [200, { id: ig }];
      }
      if (method === 'GET' && parts[1] === 'tags') {
        const items = this.tagged
          .map((id) => this.media.get(id))
          .filter((m): m is IgMedia => m !== undefined)
          .sort((a, b) => b.timestamp.localeCompare(a.timestamp));
        const start = p.after ? Number(Buffer.from(p.after, 'base64').toString()) : 0;
        const size = Math.min(this.pageSize, Number(p.limit ?? 25));
        const page = items.slice(start, start + size);
        const next = start + size < items.length;
        const cursor = (i: number) => Buffer.from(String(i)).toString('base64');
        return [
          200,
          {
            data: page.map((m) => ({ ...m, media_type: 'IMAGE', permalink: `https://www.instagram.com/p/${m.id}/` })),
            paging: {
              cursors: { before: cursor(start), after: cursor(start + size) },
              ...(next ? { next: `${this.url}/${ig}/tags?after=${cursor(start + size)}` } : {}),
            },
          },
        ];
      }
      if (method === 'POST' && parts[1] === 'mentions') {
        if (!p.media_id) return missing('media_id');
        if (!p.message) return missing('message');
        if (p.comment_id && !this.comments.has(p.comment_id)) return unknown;
        if (!p.comment_id && !this.media.has(p.media_id)) return unknown;
        const id = String(++this.seq);
        this.replies.push({ id, on: p.comment_id ?? p.media_id, media_id: p.media_id, comment_id: p.comment_id, message: p.message });
        this.onReply?.(p.comment_id ?? p.media_id, p.message);
        return [200, { id }];
      }
    }
    const target = parts[0] ?? '';
    if (method === 'GET' && parts.length === 1 && this.objects.has(target)) {
      const o = this.objects.get(target) as FbObject;
      return [200, { id: o.id, ...(o.message ? { message: o.message } : {}), ...(o.from ? { from: o.from } : {}) }];
    }
    if (method === 'POST' && parts[1] === 'comments') {
      if (!this.objects.has(target)) return unknown;
      if (!p.message) return missing('message');
      const id = `${target.split('_')[0]}_${++this.seq}`;
      this.replies.push({ id, on: target, message: p.message });
      this.onReply?.(target, p.message);
      return [200, { id }];
    }
    return unknown;
  }

  private send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }
}

/** The `mentions` notification Meta sends for an Instagram account (Facebook Login shape, `changes[]`). */
export function mentionNotification(igUserId: string, value: { media_id: string; comment_id?: string }) {
  return { object: 'instagram', entry: [{ id: igUserId, time: Math.floor(Date.now() / 1000), changes: [{ field: 'mentions', value }] }] };
}

/** A Page `feed` notification. */
export function feedNotification(pageId: string, value: Record<string, unknown>) {
  return { object: 'page', entry: [{ id: pageId, time: Math.floor(Date.now() / 1000), changes: [{ field: 'feed', value }] }] };
}

/** POSTs a notification to the centre's webhook as Meta does: raw JSON bytes signed with the app secret. */
export async function sendWebhook(
  centreUrl: string,
  channel: 'instagram' | 'facebook',
  body: unknown,
  opts: { appSecret: string; signature?: 'good' | 'bad' | 'none' },
): Promise<{ status: number; text: string }> {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = opts.signature ?? 'good';
  if (sig !== 'none') {
    const key = sig === 'good' ? opts.appSecret : `${opts.appSecret}-wrong`;
    headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;
  }
  const res = await fetch(`${centreUrl}/channels/${channel}/webhook`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}
