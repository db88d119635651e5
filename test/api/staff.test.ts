// Staff over real HTTP: log in, file a 109 call, list and open tickets, move them through the lifecycle;
// every role against every endpoint, and another organisation's ticket refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
const tokens: Record<string, string> = {};
const ROLE_EMAILS: Record<string, string> = {};

beforeAll(async () => {
  c = await startTestCentre();
  for (const u of c.ctx.city.demo.users) ROLE_EMAILS[u.role] ??= u.email;
  for (const [role, email] of Object.entries(ROLE_EMAILS)) tokens[role] = await c.login(email);
});
afterAll(() => c?.close());

/** A 1×1 PNG: the proof photo an executor's resolution needs in Astana (city.yaml resolve_requires_proof). */
const PROOF = {
  content_type: 'image/png',
  data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
};
const executorUser = () => c.ctx.city.demo.users.find((u) => u.role === 'executor' && u.organisation) as { email: string; organisation: string };

async function fileAs(role: string, text: string, extra: object = {}) {
  const r = await c.api('/api/v1/phone-appeals', { token: tokens[role], body: { text, ...extra } });
  return r;
}

describe('authentication', () => {
  it('refuses a wrong password and an unknown user alike', async () => {
    const a = await c.api('/api/v1/auth/login', { body: { email: ROLE_EMAILS.operator, password: 'wrong-password' } });
    const b = await c.api('/api/v1/auth/login', { body: { email: 'nobody@qala.demo', password: 'wrong-password' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.error.message).toBe(b.body.error.message);
  });

  it('refuses staff endpoints without a token or with a forged one', async () => {
    expect((await c.api('/api/v1/tickets')).status).toBe(401);
    expect((await c.api('/api/v1/tickets', { token: 'forged' })).status).toBe(401);
    expect((await c.api('/api/v1/phone-appeals', { body: { text: 'нет воды' } })).status).toBe(401);
  });

  it('ends a session on logout', async () => {
    const t = await c.login(ROLE_EMAILS.supervisor as string);
    expect((await c.api('/api/v1/auth/me', { token: t })).status).toBe(200);
    expect((await c.api('/api/v1/auth/logout', { token: t, method: 'POST' })).status).toBe(200);
    expect((await c.api('/api/v1/auth/me', { token: t })).status).toBe(401);
  });

  it('stores passwords only as slow salted hashes', async () => {
    const rows = await c.ctx.db.selectFrom('users').select('password_hash').execute();
    for (const r of rows) expect(r.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});

describe('an operator files a 109 call on a caller’s behalf', () => {
  it('creates a phone ticket with the caller as resident and the operator recorded', async () => {
    const r = await fileAs('operator', 'Звонок: в подъезде запах газа, Тауелсиздик 12', { contact: { name: 'Ержан', phone: '+7 702 000 11 22' } });
    expect(r.status).toBe(201);
    expect(r.body.number).toMatch(/^AST-\d{4}-\d{6}$/);
    const t = await c.api(`/api/v1/tickets/${r.body.number}`, { token: tokens.operator });
    expect(t.body.channel).toBe('phone');
    expect(t.body.urgency).toBe('critical');
    expect(t.body.resident.phone).toBe('+7 702 000 11 22');
    expect(t.body.history[0].action).toBe('ticket.opened');
    expect(t.body.triage.explanation).toBeTruthy();
  });
});

describe('authorization matrix over HTTP', () => {
  type Req = (other: string, own: string) => { path: string; method?: string; body?: unknown };
  const ROLES = ['anonymous', 'admin', 'supervisor', 'operator', 'executor'] as const;
  // Every staff endpoint × every role; "other" is a ticket of an organisation the executor does not belong to,
  // "own" one of the executor's organisation. Each row runs on fresh tickets.
  const matrix: [string, Req, Record<(typeof ROLES)[number], number>][] = [
    ['GET /auth/me', () => ({ path: '/api/v1/auth/me' }), { anonymous: 401, admin: 200, supervisor: 200, operator: 200, executor: 200 }],
    ['GET /tickets', () => ({ path: '/api/v1/tickets' }), { anonymous: 401, admin: 200, supervisor: 200, operator: 200, executor: 200 }],
    [
      'POST /phone-appeals',
      () => ({ path: '/api/v1/phone-appeals', body: { text: 'Нет света в подъезде' } }),
      { anonymous: 401, admin: 201, supervisor: 403, operator: 201, executor: 403 },
    ],
    [
      'GET another organisation’s ticket',
      (o) => ({ path: `/api/v1/tickets/${o}` }),
      { anonymous: 401, admin: 200, supervisor: 200, operator: 200, executor: 403 },
    ],
    [
      'GET own organisation’s ticket',
      (_o, own) => ({ path: `/api/v1/tickets/${own}` }),
      { anonymous: 401, admin: 200, supervisor: 200, operator: 200, executor: 200 },
    ],
    [
      'assign another organisation’s ticket',
      (o) => ({ path: `/api/v1/tickets/${o}/actions`, body: { action: 'assign', organisation: 'ikomek' } }),
      { anonymous: 401, admin: 200, supervisor: 200, operator: 200, executor: 403 },
    ],
    [
      'accept own organisation’s ticket',
      (_o, own) => ({ path: `/api/v1/tickets/${own}/actions`, body: { action: 'accept' } }),
      { anonymous: 401, admin: 200, supervisor: 403, operator: 200, executor: 200 },
    ],
    [
      'accept another organisation’s ticket',
      (o) => ({ path: `/api/v1/tickets/${o}/actions`, body: { action: 'accept' } }),
      { anonymous: 401, admin: 200, supervisor: 403, operator: 200, executor: 403 },
    ],
    [
      'resolve own organisation’s ticket',
      (_o, own) => ({ path: `/api/v1/tickets/${own}/actions`, body: { action: 'resolve', reason: 'Устранено', proof: [PROOF] } }),
      { anonymous: 401, admin: 200, supervisor: 403, operator: 200, executor: 200 },
    ],
    [
      'reject another organisation’s ticket',
      (o) => ({ path: `/api/v1/tickets/${o}/actions`, body: { action: 'reject', reason: 'не наш вопрос' } }),
      { anonymous: 401, admin: 200, supervisor: 403, operator: 200, executor: 403 },
    ],
    [
      'mark another organisation’s ticket as duplicate',
      (o) => ({ path: `/api/v1/tickets/${o}/actions`, body: { action: 'mark_duplicate', reason: 'повтор' } }),
      { anonymous: 401, admin: 200, supervisor: 403, operator: 200, executor: 403 },
    ],
  ];
  for (const [name, req, expected] of matrix) {
    for (const role of ROLES) {
      it(`${name}: ${role} → ${expected[role]}`, async () => {
        const other = await fileAs('operator', 'Бродячие собаки во дворе, нападают на детей');
        expect(other.body.organisation.id).not.toBe(executorUser().organisation);
        const own = await fileAs('operator', 'Нет холодной воды во всём доме');
        if (own.body.organisation.id !== executorUser().organisation) {
          await c.api(`/api/v1/tickets/${own.body.number}/actions`, {
            token: tokens.operator,
            body: { action: 'assign', organisation: executorUser().organisation },
          });
        }
        const { path, method, body } = req(other.body.number, own.body.number);
        const r = await c.api(path, { token: role === 'anonymous' ? undefined : tokens[role], body, method });
        expect(r.status).toBe(expected[role]);
        if (r.status === 403) expect(r.body.error.code).toBe('forbidden');
        if (r.status === 401) expect(r.body.error.code).toBe('unauthenticated');
      });
    }
  }

  it('shows an executor only their organisation’s tickets', async () => {
    const r = await c.api('/api/v1/tickets?limit=500', { token: tokens.executor });
    expect(r.status).toBe(200);
    expect(r.body.tickets.length).toBeGreaterThan(0);
    for (const t of r.body.tickets) expect(t.organisation.id).toBe(executorUser().organisation);
    const all = await c.api('/api/v1/tickets?limit=500', { token: tokens.operator });
    expect(all.body.tickets.length).toBeGreaterThan(r.body.tickets.length);
  });
});

describe('lifecycle through the API', () => {
  it('goes assigned → in progress → resolved → closed, audited step by step, the resident told each time', async () => {
    const ex = executorUser();
    const exToken = await c.login(ex.email);
    const filed = await fileAs('operator', 'Нет холодной воды во всём доме с утра');
    const n = filed.body.number;
    if (filed.body.organisation.id !== ex.organisation) {
      const a = await c.api(`/api/v1/tickets/${n}/actions`, { token: tokens.operator, body: { action: 'assign', organisation: ex.organisation } });
      expect(a.status).toBe(200);
    }
    // `start` is the former name of `accept`, still understood.
    expect((await c.api(`/api/v1/tickets/${n}/actions`, { token: exToken, body: { action: 'start' } })).body.status).toBe('in_progress');
    expect(
      (await c.api(`/api/v1/tickets/${n}/actions`, { token: exToken, body: { action: 'resolve', reason: 'Заменили задвижку', proof: [PROOF] } })).body
        .status,
    ).toBe('resolved');
    expect((await c.api(`/api/v1/tickets/${n}/actions`, { token: tokens.operator, body: { action: 'close' } })).body.status).toBe('closed');
    const t = await c.api(`/api/v1/tickets/${n}`, { token: tokens.admin });
    const actions = t.body.history.map((h: { action: string }) => h.action);
    expect(actions.slice(-3)).toEqual(['ticket.accept', 'ticket.resolve', 'ticket.close']);
    const resolve = t.body.history.find((h: { action: string }) => h.action === 'ticket.resolve');
    expect(resolve.actor_type).toBe('user');
    expect(resolve.data.reason).toBe('Заменили задвижку');
    for (let i = 0; i < 50; i++) {
      // The outbox relay delivers in the background; wait for it.
      const pub = await c.api(`/api/v1/appeals/${n}`);
      if (pub.body.replies.length >= 4) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const pub = await c.api(`/api/v1/appeals/${n}`);
    expect(pub.body.status).toBe('closed');
    expect(pub.body.replies.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses a forbidden transition with 409 and changes nothing', async () => {
    const filed = await fileAs('operator', 'Не убирают снег во дворе');
    const n = filed.body.number;
    const before = await c.api(`/api/v1/tickets/${n}`, { token: tokens.operator });
    const r = await c.api(`/api/v1/tickets/${n}/actions`, { token: tokens.operator, body: { action: 'close' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('invalid_transition');
    const after = await c.api(`/api/v1/tickets/${n}`, { token: tokens.operator });
    expect(after.body.status).toBe(before.body.status);
    expect(after.body.history.length).toBe(before.body.history.length);
  });

  it('needs a reason to reject, and refuses a stale version', async () => {
    const filed = await fileAs('operator', 'Не горит фонарь на остановке');
    const n = filed.body.number;
    const noReason = await c.api(`/api/v1/tickets/${n}/actions`, { token: tokens.operator, body: { action: 'reject' } });
    expect(noReason.status).toBe(400);
    const stale = await c.api(`/api/v1/tickets/${n}/actions`, {
      token: tokens.operator,
      body: { action: 'assign', organisation: 'ikomek', version: 99 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
  });
});

describe('the audit log', () => {
  it('is append-only in the database itself', async () => {
    const { sql } = await import('kysely');
    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(c.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(c.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(c.ctx.db)).rejects.toThrow(/append-only/);
  });
});

describe('an operator corrects the category while assigning', () => {
  it('changes category, organisation and deadlines together, and audits the correction', async () => {
    const filed = await fileAs('operator', 'Здравствуйте, прошу разобраться');
    const n = filed.body.number;
    const before = await c.api(`/api/v1/tickets/${n}`, { token: tokens.operator });
    expect(before.body.category).toBeNull();
    expect(before.body.status).toBe('new');
    const r = await c.api(`/api/v1/tickets/${n}/actions`, {
      token: tokens.operator,
      body: { action: 'assign', organisation: 'astana-su-arnasy', category: 'WATR' },
    });
    expect(r.status).toBe(200);
    expect(r.body.category.code).toBe('WATR');
    const after = await c.api(`/api/v1/tickets/${n}`, { token: tokens.operator });
    expect(after.body.deadline).not.toBe(before.body.deadline);
    expect(after.body.history.at(-1).data.category).toEqual({ from: null, to: 'WATR' });
    const bad = await c.api(`/api/v1/tickets/${n}/actions`, {
      token: tokens.operator,
      body: { action: 'assign', organisation: 'astana-su-arnasy', category: 'NOPE' },
    });
    expect(bad.status).toBe(400);
  });

  it('keeps each operator verdict as a labelled example and shows how often triage agreed', async () => {
    const corrected = await fileAs('operator', 'Здравствуйте, прошу помочь разобраться');
    const confirmed = await fileAs('operator', 'Нет горячей воды третий день');
    expect(confirmed.body.category.code).toBe('HOTW');
    const assign = (n: string, body: object) =>
      c.api(`/api/v1/tickets/${n}/actions`, { token: tokens.operator, body: { action: 'assign', ...body } });
    expect((await assign(corrected.body.number, { organisation: 'ikomek', category: 'MGMT' })).status).toBe(200);
    expect((await assign(confirmed.body.number, { organisation: 'astana-teplotranzit' })).status).toBe(200);
    const labels = await c.ctx.db.selectFrom('labels').selectAll().where('source', '=', 'operator').execute();
    const byValue = Object.fromEntries(labels.map((l) => [l.value, l]));
    expect(byValue.MGMT?.predicted).not.toBe('MGMT');
    expect(byValue.HOTW?.predicted).toBe('HOTW');
    const acc = await c.api('/api/v1/triage/accuracy', { token: tokens.supervisor });
    expect(acc.status).toBe(200);
    expect(acc.body.labels).toBe(labels.length);
    expect(acc.body.agreed).toBe(labels.filter((l) => l.predicted === l.value).length);
    expect(acc.body.corrected.some((x: { value: string }) => x.value === 'MGMT')).toBe(true);
    expect((await c.api('/api/v1/triage/accuracy', { token: tokens.executor })).status).toBe(403);
  });
});
