// A small VK API client: form-encoded POST to <VK_API_URL>/<method> with access_token and v. VK answers errors
// with HTTP 200 and {error: {error_code, error_msg}}; requests are spaced in-process to stay under the per-second
// limit (20/s for a community token).

export class VkApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly description: string,
  ) {
    super(`VK ${method} error ${code}: ${description}`);
  }

  /** 6: too many requests per second; 9: flood control; 29: rate limit reached; 10: internal server error. */
  get retryLater(): boolean {
    return [6, 9, 10, 29].includes(this.code);
  }
}

/** A community (group) token may make 20 requests a second; a user token only 3. */
export const COMMUNITY_TOKEN_RPS = 20;
/** After "too many requests per second", leave the API alone for a moment. */
const PAUSE_AFTER_ERROR_6_MS = 1000;

export class VkClient {
  private nextSlot = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly version: string,
    private readonly perSecond = COMMUNITY_TOKEN_RPS,
  ) {}

  async call<T>(method: string, params: Record<string, string | number | undefined>): Promise<T> {
    await this.slot();
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
    form.set('access_token', this.token);
    form.set('v', this.version);
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new VkApiError(method, -res.status, `HTTP ${res.status}`);
    const body = (await res.json()) as { response?: T; error?: { error_code?: number; error_msg?: string } };
    if (body.error) {
      const code = Number(body.error.error_code ?? 0);
      if (code === 6) this.nextSlot = Math.max(this.nextSlot, Date.now() + PAUSE_AFTER_ERROR_6_MS);
      throw new VkApiError(method, code, String(body.error.error_msg ?? 'unknown error'));
    }
    if (body.response === undefined) throw new VkApiError(method, 0, 'no response in the answer');
    return body.response;
  }

  /** Waits for this request's turn: requests are spaced 1/perSecond apart. */
  private async slot() {
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + Math.ceil(1000 / this.perSecond);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}
