// Live updates for the staff screens: one stream of ticket and incident events from GET /api/v1/events
// (Server-Sent Events). It is read with fetch rather than EventSource so the session token travels in the
// Authorization header, never in a URL (where proxies and logs would keep it). One connection is shared by every
// subscriber; it reconnects with a growing pause and resumes after the last event seen (Last-Event-ID), so a
// dropped connection loses nothing.
import { session } from './api.js';

const listeners = new Set();
const stateListeners = new Set();
let lastId = null;
let controller = null;
let timer = null;
let pause = 1000;
let state = 'off';

/**
 * Calls onEvent({type, number, action, status, organisation, category, district, at, id}) for every change the user
 * may see. Returns a function that stops the subscription; the connection closes when nobody listens.
 */
export function subscribe(onEvent) {
  listeners.add(onEvent);
  if (!controller && !timer) connect();
  return () => {
    listeners.delete(onEvent);
    if (listeners.size === 0) stop();
  };
}

/** Calls fn('live' | 'connecting' | 'off') when the stream's state changes (for a "live" mark on a screen). */
export function onLiveState(fn) {
  stateListeners.add(fn);
  fn(state);
  return () => stateListeners.delete(fn);
}

function setState(s) {
  if (s === state) return;
  state = s;
  for (const fn of stateListeners) fn(s);
}

function stop() {
  controller?.abort();
  controller = null;
  clearTimeout(timer);
  timer = null;
  setState('off');
}

function again() {
  controller = null;
  if (listeners.size === 0) return setState('off');
  setState('connecting');
  timer = setTimeout(() => {
    timer = null;
    connect();
  }, pause);
  pause = Math.min(pause * 2, 30000);
}

async function connect() {
  if (!session.token) return again(); // signed out: try again once someone signs in
  const ac = new AbortController();
  controller = ac;
  setState('connecting');
  const headers = { accept: 'text/event-stream', authorization: `Bearer ${session.token}` };
  if (lastId !== null) headers['last-event-id'] = String(lastId);
  try {
    const res = await fetch('/api/v1/events', { headers, signal: ac.signal, cache: 'no-store' });
    if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
    setState('live');
    pause = 1000;
    await read(res.body);
  } catch {
    // a network error, a refusal, or our own abort: the checks below tell them apart
  }
  if (controller === ac) again();
}

async function read(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
}

/** One SSE block: `id:` and `data:` lines; comment lines (heartbeats) start with a colon and are skipped. */
function dispatch(block) {
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (id !== null && /^\d+$/.test(id)) lastId = Number(id);
  if (data.length === 0) return;
  let event;
  try {
    event = JSON.parse(data.join('\n'));
  } catch {
    return;
  }
  event.id = lastId;
  for (const fn of [...listeners]) {
    try {
      fn(event);
    } catch (e) {
      console.error(e); // one screen's failure must not stop the others' updates
    }
  }
}
