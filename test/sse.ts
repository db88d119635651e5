// Reading the live stream (GET /api/v1/events) in tests, as the web client does: fetch with the bearer header.
import { expect } from 'vitest';

export type LiveEvent = { id: number; type: string; number: string; action: string; [k: string]: unknown };

/** Reads Server-Sent Events from `url` until `until` holds for the events so far, or `ms` pass (15 s); `started` runs
 * once the stream is open. */
export async function readEvents<E extends LiveEvent = LiveEvent>(
  url: string,
  token: string,
  until: (events: E[]) => boolean,
  opts: { lastEventId?: string; ms?: number; started?: () => Promise<void> } = {},
): Promise<E[]> {
  const ac = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
  const res = await fetch(`${url}/api/v1/events`, { headers, signal: ac.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: E[] = [];
  const timer = setTimeout(() => ac.abort(), opts.ms ?? 15_000);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let started = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) events.push({ ...JSON.parse(data), id: Number(id) });
      }
      if (!started && opts.started) {
        started = true;
        await opts.started();
      }
      if (until(events)) break;
    }
  } catch {
    // aborted at the time limit: the caller's expectations tell what was missing
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return events;
}
