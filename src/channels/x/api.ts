// A small client for the X API v2 endpoints Qala uses, with the rate-limit state of each endpoint: after a 429
// (or a response that says none are left) nothing is sent to that endpoint until `x-rate-limit-reset`.
import type { Logger } from '../../log.js';

export interface XTweet {
  id: string;
  text: string;
  author_id?: string;
  conversation_id?: string;
  created_at?: string;
  lang?: string;
  geo?: Record<string, unknown>;
  entities?: Record<string, unknown>;
  referenced_tweets?: { type: string; id: string }[];
}
export interface XUser {
  id: string;
  username?: string;
  name?: string;
}
export interface StreamRule {
  id: string;
  value: string;
  tag?: string;
}
/** A rule X refused (DuplicateRule, invalid syntax…), or a delete it could not do. */
export interface RuleError {
  value?: string;
  id?: string;
  title?: string;
  details?: string[];
}
export interface RulesAnswer {
  data?: StreamRule[];
  errors?: RuleError[];
  meta?: { next_token?: string; summary?: Record<string, number> };
}
export interface MentionsPage {
  data?: XTweet[];
  includes?: { users?: XUser[] };
  meta?: { result_count?: number; newest_id?: string; oldest_id?: string; next_token?: string };
}

/** The endpoint refuses requests until `until` (epoch ms): try again after that, not before. */
export class XRateLimited extends Error {
  constructor(
    readonly endpoint: string,
    readonly until: number,
  ) {
    super(`X rate limit on ${endpoint} until ${new Date(until).toISOString()}`);
  }
}

export class XApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`X API answered ${status}: ${body.slice(0, 300)}`);
  }
}

/** The same tweet fields and expansions for mentions and the stream, so both store the same tweet alike. */
export const TWEET_QUERY = {
  'tweet.fields': 'created_at,author_id,conversation_id,lang,geo,entities,referenced_tweets',
  expansions: 'author_id',
  'user.fields': 'username,name',
};

/** When nothing says how long to wait, wait this long (the mentions window is 15 minutes). */
const DEFAULT_BACKOFF_MS = 60_000;

export class XClient {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly baseUrl: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Epoch ms until which the endpoint is rate limited, or null when it may be called now. */
  blocked(endpoint: string): number | null {
    const until = this.blockedUntil.get(endpoint);
    if (until === undefined) return null;
    if (until <= this.now()) {
      this.blockedUntil.delete(endpoint);
      return null;
    }
    return until;
  }

  async mentions(
    token: string,
    userId: string,
    params: { sinceId?: string | null; paginationToken?: string | null; maxResults: number },
  ): Promise<MentionsPage> {
    const q = new URLSearchParams({ max_results: String(params.maxResults), ...TWEET_QUERY });
    if (params.sinceId) q.set('since_id', params.sinceId);
    if (params.paginationToken) q.set('pagination_token', params.paginationToken);
    const res = await this.call('mentions', `/2/users/${encodeURIComponent(userId)}/mentions?${q}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await res.json()) as MentionsPage;
  }

  async postReply(token: string, text: string, inReplyTo: string): Promise<{ id: string }> {
    const res = await this.call('tweets', '/2/tweets', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text, reply: { in_reply_to_tweet_id: inReplyTo } }),
    });
    const body = (await res.json()) as { data?: { id?: string } };
    if (!body.data?.id) throw new XApiError(res.status, JSON.stringify(body));
    return { id: body.data.id };
  }

  /** Every rule on the app's filtered stream (X pages them past 1000). */
  async streamRules(token: string): Promise<StreamRule[]> {
    const rules: StreamRule[] = [];
    let next: string | undefined;
    do {
      const q = new URLSearchParams({ max_results: '1000', ...(next ? { pagination_token: next } : {}) });
      const res = await this.call('rules', `/2/tweets/search/stream/rules?${q}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as RulesAnswer;
      rules.push(...(body.data ?? []));
      next = body.meta?.next_token;
    } while (next);
    return rules;
  }

  /** Adds or deletes stream rules; X answers the created rules and, per rule, what it refused. */
  async changeStreamRules(token: string, change: { add: { value: string; tag: string }[] } | { delete: { ids: string[] } }): Promise<RulesAnswer> {
    const res = await this.call('rules', '/2/tweets/search/stream/rules', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    return (await res.json()) as RulesAnswer;
  }

  /**
   * Opens the filtered stream and answers the response whatever its status: the caller reads the body as it
   * comes and decides how to back off. No timeout here: the connection lives as long as `signal` allows.
   */
  openStream(token: string, opts: { backfillMinutes: number }, signal: AbortSignal): Promise<Response> {
    const q = new URLSearchParams(TWEET_QUERY);
    if (opts.backfillMinutes > 0) q.set('backfill_minutes', String(opts.backfillMinutes));
    return fetch(`${this.baseUrl.replace(/\/$/, '')}/2/tweets/search/stream?${q}`, { headers: { authorization: `Bearer ${token}` }, signal });
  }

  private async call(endpoint: string, path: string, init: RequestInit): Promise<Response> {
    const until = this.blocked(endpoint);
    if (until !== null) throw new XRateLimited(endpoint, until);
    const res = await fetch(this.baseUrl.replace(/\/$/, '') + path, { ...init, signal: AbortSignal.timeout(30_000) });
    const reset = Number(res.headers.get('x-rate-limit-reset'));
    const resetAt = Number.isFinite(reset) && reset > 0 ? reset * 1000 : null;
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      const wait = resetAt ?? (retryAfter > 0 ? this.now() + retryAfter * 1000 : this.now() + DEFAULT_BACKOFF_MS);
      this.block(endpoint, wait);
      await res.body?.cancel();
      throw new XRateLimited(endpoint, wait);
    }
    if (!res.ok) throw new XApiError(res.status, await res.text());
    // The last request of the window succeeded: do not spend a request just to be told 429.
    if (res.headers.get('x-rate-limit-remaining') === '0' && resetAt !== null) this.block(endpoint, resetAt);
    return res;
  }

  private block(endpoint: string, until: number) {
    const was = this.blockedUntil.get(endpoint);
    this.blockedUntil.set(endpoint, Math.max(until, this.now() + 1000));
    // Once per window, not once per attempt.
    if (was === undefined || was <= this.now())
      this.log.warn({ channel: 'x', endpoint, until: new Date(until).toISOString() }, 'X rate limit reached: pausing this endpoint');
  }
}
