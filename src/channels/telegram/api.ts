// A small client of the Telegram Bot API (https://core.telegram.org/bots/api): methods are POSTed as JSON to
// <api>/bot<token>/<method> and answer {ok, result} or {ok:false, error_code, description, parameters}; files
// are fetched from <api>/file/bot<token>/<file_path>. The token is never logged or put in an error message.

export class TelegramError extends Error {
  constructor(
    readonly method: string,
    /** error_code from the answer (mirrors the HTTP status: 400, 401, 403, 409, 429…). */
    readonly code: number,
    description: string,
    /** parameters.retry_after on 429: seconds to wait before the next request. */
    readonly retryAfter: number | null = null,
  ) {
    super(`telegram ${method}: ${code} ${description}`);
  }
}

/** The Bot API's answer: its `result`, or a TelegramError with the code, the description and how long to wait. */
async function answer<T>(method: string, res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as {
    ok?: boolean;
    result?: T;
    error_code?: number;
    description?: string;
    parameters?: { retry_after?: number };
  } | null;
  if (!body || body.ok !== true) {
    const retryAfter = body?.parameters?.retry_after ?? (Number(res.headers.get('retry-after')) || null);
    throw new TelegramError(method, body?.error_code ?? res.status, body?.description ?? `HTTP ${res.status}`, retryAfter);
  }
  return body.result as T;
}

export class TelegramApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, params: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: signal ?? null,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') throw err;
      throw new TelegramError(method, 0, `network error: ${(err as Error).message}`);
    }
    return answer<T>(method, res);
  }

  /** A method with a file (sendDocument): multipart/form-data, the file under `file.field`, other parameters as
   * strings (Telegram reads objects such as reply_markup as JSON text there). */
  async upload<T>(
    method: string,
    params: Record<string, string>,
    file: { field: string; filename: string; bytes: Buffer; contentType: string },
  ): Promise<T> {
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.append(k, v);
    form.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/bot${this.token}/${method}`, { method: 'POST', body: form });
    } catch (err) {
      throw new TelegramError(method, 0, `network error: ${(err as Error).message}`);
    }
    return answer<T>(method, res);
  }

  /** Downloads a file found with getFile; refuses (without reading it all) one larger than `maxBytes`. */
  async download(filePath: string, maxBytes: number): Promise<Buffer> {
    const res = await fetch(`${this.baseUrl}/file/bot${this.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`);
    if (!res.ok || !res.body) throw new TelegramError('file', res.status, 'download failed');
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
      await res.body.cancel();
      throw new TelegramError('file', 413, `file larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > maxBytes) throw new TelegramError('file', 413, `file larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
}
