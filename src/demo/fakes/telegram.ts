// A stand-in for the Telegram Bot API, used by the tests and by the demo feed (src/demo/feed.ts): a real HTTP server
// on 127.0.0.1 (a free port) that implements the methods Qala uses (getMe, getUpdates with offset/timeout,
// deleteWebhook, setWebhook, sendMessage, sendDocument (multipart upload), getFile, answerCallbackQuery and file downloads), checks the bot token in
// the path and the required parameters as Telegram does, records every call, queues updates for polling, sends
// updates to a webhook, and fails on request (429 with retry_after, 500). It never talks to Telegram.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 } | { status: 400; description: string };
type Armed = Failure & { match: (params: Record<string, unknown>) => boolean };

export interface SentMessage {
  message_id: number;
  chat_id: string;
  text: string;
  params: Record<string, unknown>;
}

/** A file sent with sendDocument (multipart/form-data, as the Bot API takes an upload). */
export interface SentDocument {
  message_id: number;
  chat_id: string;
  filename: string;
  content_type: string;
  bytes: Buffer;
  caption: string | undefined;
}

export class FakeTelegram {
  readonly token: string;
  readonly calls: Call[] = [];
  readonly sent: SentMessage[] = [];
  readonly documents: SentDocument[] = [];
  readonly fileRequests: string[] = [];
  private server: Server | null = null;
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 100_000;
  private nextMessageId = 1;
  private nextBotMessageId = 900_000;
  private webhook: string | null = null;
  private readonly failures = new Map<string, Armed[]>();
  private readonly files = new Map<string, { path: string; bytes: Buffer }>();
  private readonly waiters = new Set<() => void>();
  url = '';
  /** Called with every message the bot sends (the demo logs them). */
  onReply: ((chatId: string, text: string) => void) | undefined;

  constructor(
    token = '123456:TEST-token_abc',
    readonly username = 'astanaikomek109_bot',
  ) {
    this.token = token;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err) => this.json(res, 500, { ok: false, error_code: 500, description: String(err) }));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    for (const w of this.waiters) w();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  // ---- what the test controls ----

  /** The next `method` call(s) (those `match` accepts, when given) answer with this failure instead. */
  failNext(method: string, failure: Failure, times = 1, match: (params: Record<string, unknown>) => boolean = () => true) {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ ...failure, match });
    this.failures.set(method, list);
  }

  /** A file the bot can fetch with getFile and download. */
  addFile(fileId: string, bytes: Buffer, path = `photos/file_${this.files.size}.jpg`) {
    this.files.set(fileId, { path, bytes });
  }

  /** Queues an update for getUpdates (a long poll in progress answers at once); returns it with its update_id. */
  push(update: Record<string, unknown>): Record<string, unknown> & { update_id: number } {
    const u = { update_id: (update.update_id as number | undefined) ?? this.nextUpdateId++, ...update };
    this.updates.push(u);
    for (const w of this.waiters) w();
    return u as Record<string, unknown> & { update_id: number };
  }

  /** Telegram's POST of an update to the webhook, with the secret token header when given. */
  async postWebhook(url: string, update: unknown, secret?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    const res = await fetch(url, { method: 'POST', headers, body: typeof update === 'string' ? update : JSON.stringify(update) });
    return { status: res.status, body: await res.text() };
  }

  /** A fresh message id for building updates. */
  messageId() {
    return this.nextMessageId++;
  }

  pending() {
    return this.updates.length;
  }

  callsOf(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  sentTo(chatId: number | string) {
    return this.sent.filter((s) => s.chat_id === String(chatId));
  }

  // ---- the API ----

  private async route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      if (file[1] !== this.token) return this.json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      this.fileRequests.push(decodeURIComponent(file[2] as string));
      const f = [...this.files.values()].find((x) => x.path === decodeURIComponent(file[2] as string));
      if (!f) return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.bytes.length });
      return res.end(f.bytes);
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m) return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return this.json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2] as string;
    const params = { ...Object.fromEntries(url.searchParams), ...(await this.body(req)) };
    this.calls.push({ method, params, at: Date.now() });
    const armed = this.failures.get(method) ?? [];
    const at = armed.findIndex((f) => f.match(params));
    const failure = at >= 0 ? armed.splice(at, 1)[0] : undefined;
    if (failure?.status === 429) {
      res.setHeader('retry-after', String(failure.retryAfter));
      return this.json(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${failure.retryAfter}`,
        parameters: { retry_after: failure.retryAfter },
      });
    }
    if (failure?.status === 500) return this.json(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    if (failure?.status === 400) return this.json(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${failure.description}` });
    switch (method) {
      case 'getUpdates':
        return this.getUpdates(req, res, params);
      case 'getMe':
        return this.ok(res, { id: 42, is_bot: true, first_name: 'Qala', username: this.username });
      case 'setWebhook':
        this.webhook = typeof params.url === 'string' && params.url ? params.url : null;
        return this.ok(res, true);
      case 'deleteWebhook':
        this.webhook = null;
        if (params.drop_pending_updates === true) this.updates = [];
        return this.ok(res, true);
      case 'sendMessage':
        return this.sendMessage(res, params);
      case 'sendDocument':
        return this.sendDocument(res, params);
      case 'getFile': {
        const f = typeof params.file_id === 'string' ? this.files.get(params.file_id) : undefined;
        if (!f) return this.bad(res, 'invalid file_id');
        return this.ok(res, { file_id: params.file_id, file_unique_id: `u-${params.file_id}`, file_size: f.bytes.length, file_path: f.path });
      }
      case 'answerCallbackQuery':
        if (typeof params.callback_query_id !== 'string' || !params.callback_query_id) return this.bad(res, 'query_id is empty');
        return this.ok(res, true);
      default:
        return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  }

  private async getUpdates(req: IncomingMessage, res: ServerResponse, p: Record<string, unknown>) {
    if (this.webhook) {
      return this.json(res, 409, {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const timeout = Math.max(0, Number(p.timeout ?? 0));
    // An offset confirms every update below it: Telegram forgets them.
    if (offset > 0) this.updates = this.updates.filter((u) => (u.update_id as number) >= offset);
    if (this.updates.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        this.waiters.add(done);
        req.on('close', done);
        res.on('close', done);
      });
    }
    if (res.destroyed) return;
    return this.ok(res, this.updates.slice(0, limit));
  }

  private sendMessage(res: ServerResponse, p: Record<string, unknown>) {
    if (p.chat_id === undefined || p.chat_id === '') return this.bad(res, 'chat_id is empty');
    if (typeof p.text !== 'string' || p.text.trim() === '') return this.bad(res, 'message text is empty');
    if (p.text.length > 4096) return this.bad(res, 'message is too long');
    const rp = p.reply_parameters as { message_id?: unknown } | undefined;
    if (rp !== undefined && typeof rp?.message_id !== 'number') return this.bad(res, 'invalid reply_parameters');
    const markup = p.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    for (const row of markup?.inline_keyboard ?? []) {
      for (const b of row) if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) return this.bad(res, 'BUTTON_DATA_INVALID');
    }
    const message_id = this.nextBotMessageId++;
    this.sent.push({ message_id, chat_id: String(p.chat_id), text: p.text, params: p });
    this.onReply?.(String(p.chat_id), p.text);
    return this.ok(res, {
      message_id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(p.chat_id), type: 'private' },
      from: { id: 42, is_bot: true, first_name: 'Qala' },
      text: p.text,
    });
  }

  private sendDocument(res: ServerResponse, p: Record<string, unknown>) {
    if (p.chat_id === undefined || p.chat_id === '') return this.bad(res, 'chat_id is empty');
    // An upload comes as a file part of multipart/form-data; a string would be a file_id or URL, which Qala never sends.
    const file = p.document;
    if (!(file instanceof File)) return this.bad(res, 'there is no document in the request');
    if (file.size === 0) return this.bad(res, 'file must be non-empty');
    const caption = typeof p.caption === 'string' ? p.caption : undefined;
    if (caption !== undefined && caption.length > 1024) return this.bad(res, 'message caption is too long');
    const message_id = this.nextBotMessageId++;
    const chat_id = String(p.chat_id);
    return file.arrayBuffer().then((ab) => {
      this.documents.push({ message_id, chat_id, filename: file.name, content_type: file.type, bytes: Buffer.from(ab), caption });
      this.ok(res, {
        message_id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(chat_id), type: 'private' },
        document: {
          file_id: `doc-${message_id}`,
          file_unique_id: `u-doc-${message_id}`,
          file_name: file.name,
          mime_type: file.type,
          file_size: file.size,
        },
        ...(caption ? { caption } : {}),
      });
    });
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    if (!text) return {};
    const type = req.headers['content-type'] ?? '';
    if (type.includes('multipart/form-data')) {
      // Parsed as the platform's fetch does (the boundary from the header): fields as strings, files as File.
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      return Object.fromEntries(form.entries());
    }
    if (type.includes('application/json')) return JSON.parse(text);
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
    return {};
  }

  private ok(res: ServerResponse, result: unknown) {
    this.json(res, 200, { ok: true, result });
  }

  private bad(res: ServerResponse, description: string) {
    this.json(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${description}` });
  }

  private json(res: ServerResponse, status: number, body: unknown) {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

// ---- building updates as Telegram sends them ----

export interface Person {
  id: number;
  first_name: string;
  language_code?: string;
}

export function messageUpdate(fake: FakeTelegram, from: Person, fields: Record<string, unknown>, messageId = fake.messageId()) {
  return {
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: 'private', first_name: from.first_name },
      from: { id: from.id, is_bot: false, first_name: from.first_name, ...(from.language_code ? { language_code: from.language_code } : {}) },
      ...fields,
    },
  };
}

export function callbackUpdate(from: Person, data: string, botMessageId: number) {
  return {
    callback_query: {
      id: `cq-${Math.random().toString(36).slice(2)}`,
      from: { id: from.id, is_bot: false, first_name: from.first_name, ...(from.language_code ? { language_code: from.language_code } : {}) },
      message: { message_id: botMessageId, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: 'private' } },
      chat_instance: String(from.id),
      data,
    },
  };
}
