// Test harness: a real centre (real database, real HTTP on a loopback port) per test file.
// With DATABASE_URL set, each harness gets a fresh database on that PostgreSQL server; otherwise in-memory PGlite.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Centre, startCentre } from '../src/main.js';
import { readSettings, type Settings } from '../src/settings.js';
import type { Database } from '../src/store/db.js';

export interface TestCentre extends Centre {
  url: string;
  settings: Settings;
  /** fetch against the centre; JSON bodies are encoded, and the JSON answer decoded when there is one. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the endpoint answers
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  login(email: string, password?: string): Promise<string>;
}

export const DEMO_PASSWORD = 'demo-password-1';
export const OPEN311_KEY = 'test-open311-key';

/** A fresh, empty database on the PostgreSQL server named by DATABASE_URL; dropped by the returned function. */
export async function freshPostgres(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `qala_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function testSettings(overrides: Partial<Settings> = {}): Promise<{ settings: Settings; cleanup: () => Promise<void> }> {
  const base = readSettings({ ...process.env, PORT: '0', LOG_LEVEL: process.env.QALA_TEST_LOG ?? 'silent' });
  let cleanup = async () => {};
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const db = await freshPostgres(process.env.DATABASE_URL);
    databaseUrl = db.url;
    cleanup = db.drop;
  }
  const settings: Settings = {
    ...base,
    DATABASE_URL: databaseUrl,
    QALA_DATA_DIR: 'memory://',
    OPEN311_API_KEYS: [OPEN311_KEY],
    PUBLIC_RATE_LIMIT: 10_000,
    QALA_FAILPOINTS: '',
    // Tests drive the deadline sweeps themselves (sweepOnce with a chosen clock); the timer stays out of the way.
    QALA_SWEEP_SECONDS: 3600,
    ...overrides,
  };
  return { settings, cleanup };
}

export async function startTestCentre(overrides: Partial<Settings> = {}, opts: { demo?: boolean } = { demo: true }): Promise<TestCentre> {
  const { settings, cleanup } = await testSettings(overrides);
  const centre = await startCentre(settings, { demo: opts.demo ?? true });
  const url = centre.url as string;
  const api: TestCentre['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    ...centre,
    url,
    settings,
    api,
    async login(email, password = DEMO_PASSWORD) {
      const r = await api('/api/v1/auth/login', { body: { email, password } });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
      return r.body.token as string;
    },
    async close() {
      await centre.close();
      await cleanup();
    },
  };
}

/** Polls `probe` until it gives something truthy (returned), or fails naming `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the pipeline is done with a message, and gives its stage and why it opened no ticket (if so). */
export function processed(centre: TestCentre, messageId: number) {
  return waitFor('the pipeline to finish the message', async () => {
    const row = await centre.ctx.db.selectFrom('messages').select(['stage', 'no_ticket_reason']).where('id', '=', messageId).executeTakeFirst();
    return row?.stage === 'done' && row;
  });
}

/** A message stored as though the pipeline had already triaged it (stage done, no ticket): history for the analytics
 * faster than intake makes it. The triage is a complaint with negative sentiment unless said otherwise. */
export async function storeTriaged(
  db: Database,
  m: { external_id: string; text: string; received_at: Date; channel?: string; resident_id?: number },
  t: { category: string; district: string; language: string; engine?: string },
): Promise<number> {
  const { id } = await db
    .insertInto('messages')
    .values({ channel: 'web', direction: 'in', stage: 'done', ...m })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('message_triage')
    .values({
      message_id: id,
      engine: t.engine ?? 'test',
      language: t.language,
      kind: 'complaint',
      category: t.category,
      confidence: 0.9,
      sentiment: 'negative',
      urgency: 'normal',
      address: null,
      lat: null,
      lon: null,
      district: t.district,
      dup_signature: null,
      explanation: JSON.stringify({}),
    })
    .execute();
  return id;
}
