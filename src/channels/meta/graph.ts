// A small client for Meta's Graph API (Instagram and Facebook Pages): access token and appsecret_proof on every
// call, Graph errors turned into GraphError (rate limits and bad tokens named plainly, so the outbox relay and
// the poller retry later), and a pause while Meta says the app is throttled.
import { createHmac } from 'node:crypto';
import type { Logger } from '../../log.js';

/** Graph error codes that mean "too many calls": app (4), user (17), page (32), custom (613), business use case. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008]);
const TOKEN_CODES = new Set([102, 190]);

export class GraphError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | null,
    readonly rateLimited: boolean,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphOptions {
  baseUrl: string;
  accessToken: string;
  appSecret: string;
  log: Logger;
  timeoutMs?: number;
}

type Params = Record<string, string | number | undefined>;

export class GraphClient {
  private pausedUntil = 0;
  private readonly proof: string;

  constructor(private readonly opts: GraphOptions) {
    // Proves the token is used by this app's server; Meta can require it ("Require App Secret" in app settings).
    this.proof = createHmac('sha256', opts.appSecret).update(opts.accessToken).digest('hex');
  }

  get<T = Record<string, unknown>>(path: string, params: Params = {}): Promise<T> {
    return this.call<T>('GET', path, params);
  }

  post<T = Record<string, unknown>>(path: string, params: Params = {}): Promise<T> {
    return this.call<T>('POST', path, params);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, params: Params): Promise<T> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) throw new GraphError(`Graph API rate limit: paused for another ${Math.ceil(wait / 1000)} s`, 429, null, true);
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
    form.set('access_token', this.opts.accessToken);
    form.set('appsecret_proof', this.proof);
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
    const what = `${method} /${path.replace(/^\/+/, '').split('?')[0]}`;
    let res: Response;
    try {
      res = await fetch(method === 'GET' ? `${url}?${form}` : url, {
        method,
        headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
        body: method === 'POST' ? form.toString() : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      // Never echo the URL: it carries the access token.
      throw new GraphError(`Graph API ${what}: network error (${(err as Error).name})`, 0, null, false);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const error = (body as { error?: { message?: string; code?: number; error_subcode?: number; type?: string } } | null)?.error;
    if (res.ok && !error) return body as T;
    const code = typeof error?.code === 'number' ? error.code : null;
    const rateLimited = res.status === 429 || (code !== null && RATE_LIMIT_CODES.has(code));
    if (rateLimited) this.pause(res.headers);
    const kind = rateLimited ? 'rate limit' : code !== null && TOKEN_CODES.has(code) ? 'access token invalid or expired' : 'error';
    const detail = error?.message ? `: ${error.message}` : '';
    throw new GraphError(
      `Graph API ${kind} on ${what} (HTTP ${res.status}${code !== null ? `, code ${code}` : ''})${detail}`,
      res.status,
      code,
      rateLimited,
    );
  }

  /** Meta says how long to wait in X-Business-Use-Case-Usage (minutes) or Retry-After (seconds), when it says. */
  private pause(headers: Headers) {
    let ms = 0;
    const retryAfter = Number(headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) ms = retryAfter * 1000;
    const buc = headers.get('x-business-use-case-usage');
    if (buc) {
      try {
        for (const entries of Object.values(JSON.parse(buc) as Record<string, { estimated_time_to_regain_access?: number }[]>)) {
          for (const e of entries) ms = Math.max(ms, (e.estimated_time_to_regain_access ?? 0) * 60_000);
        }
      } catch {
        this.opts.log.warn('unreadable X-Business-Use-Case-Usage header from the Graph API');
      }
    }
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}
