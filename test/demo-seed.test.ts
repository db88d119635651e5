// The demo looks like a centre that has worked for two weeks: the history (src/demo/history.ts) is replayed through
// the real commands into a fresh centre, leaving tickets in every status, ratings, incidents worked as incidents
// and situation KPIs with figures; a second seeding adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../src/demo/history.js';
import { seedDemo } from '../src/demo/seed.js';
import { type Centre, startCentre } from '../src/main.js';
import { SWEEPS } from '../src/sla/sweeps.js';
import { sweepOnce } from '../src/sla/ticker.js';
import { STATUSES } from '../src/tickets/lifecycle.js';
import { DEMO_PASSWORD, testSettings } from './centre.js';

let centre: Centre;
let cleanup: () => Promise<void>;
let url: string;
let first: Awaited<ReturnType<typeof seedHistory>> | null;

async function token(email: string) {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  return ((await r.json()) as { token: string }).token;
}

async function get(path: string, email: string) {
  const r = await fetch(url + path, { headers: { authorization: `Bearer ${await token(email)}` } });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the endpoint answers
  return { status: r.status, body: (await r.json()) as any };
}

const count = async (table: 'tickets' | 'ratings' | 'messages' | 'audit_log' | 'ticket_notes') =>
  Number(
    (
      await centre.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

// What residents sent: the replies the relay is still delivering in the background are messages too.
const inbound = async () =>
  Number(
    (
      await centre.ctx.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('direction', '=', 'in')
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  const s = await testSettings();
  cleanup = s.cleanup;
  centre = await startCentre(s.settings, { demo: true, history: true });
  url = centre.url as string;
  first = await centre.demoHistory;
}, 600_000);

afterAll(async () => {
  await centre?.close();
  await cleanup?.();
});

describe('the demo history', () => {
  it('files two weeks of appeals through the intake and works them through the real commands', async () => {
    expect(first?.appeals).toBe(200);
    expect(first?.actions).toBeGreaterThan(400);
    const oldest = await centre.ctx.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.min('created_at').as('t'))
      .executeTakeFirstOrThrow();
    const days = (Date.now() - new Date(oldest.t as Date).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(12);
    expect(days).toBeLessThanOrEqual(14.5);
    // Every change went through commitChange: the audit log holds the story of every action.
    const audited = await centre.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['ticket.accept', 'ticket.resolve', 'ticket.close', 'ticket.rated', 'ticket.reopen', 'ticket.hand_back', 'ticket.ask'])
      .execute();
    for (const a of ['ticket.accept', 'ticket.resolve', 'ticket.close', 'ticket.rated', 'ticket.reopen', 'ticket.hand_back', 'ticket.ask'])
      expect(
        audited.some((r) => r.action === a),
        a,
      ).toBe(true);
  });

  it('leaves tickets in every status, resolved with notes and proof photos, and rated 3 to 5', async () => {
    const rows = await centre.ctx.db
      .selectFrom('tickets')
      .select(['status'])
      .select((eb) => eb.fn.countAll().as('n'))
      .groupBy('status')
      .execute();
    const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
    for (const s of STATUSES) expect(by.get(s) ?? 0, s).toBeGreaterThan(0);
    expect((by.get('closed') ?? 0) + (by.get('resolved') ?? 0)).toBeGreaterThan(80);
    const proofs = await centre.ctx.db
      .selectFrom('ticket_notes as n')
      .innerJoin('ticket_note_files as p', 'p.note_id', 'n.id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('n.kind', '=', 'proof')
      .executeTakeFirstOrThrow();
    expect(Number(proofs.n)).toBeGreaterThan(80);
    const scores = await centre.ctx.db.selectFrom('ratings').select('score').execute();
    expect(scores.length).toBeGreaterThan(50);
    expect(scores.every((r) => r.score >= 3 && r.score <= 5)).toBe(true);
    // Times are the past ones of each step, not the moment of seeding.
    const spread = await centre.ctx.db
      .selectFrom('tickets')
      .select((eb) => [eb.fn.min('resolved_at').as('first'), eb.fn.max('resolved_at').as('last')])
      .executeTakeFirstOrThrow();
    expect(new Date(spread.last as Date).getTime() - new Date(spread.first as Date).getTime()).toBeGreaterThan(7 * 86_400_000);
  });

  it('has incidents worked as incidents, one of them resolved with its reporters told', async () => {
    const incidents = await centre.ctx.db.selectFrom('incidents').select(['id', 'status']).where('dissolved_at', 'is', null).execute();
    expect(incidents.length).toBeGreaterThanOrEqual(3);
    expect(incidents.some((i) => i.status === 'resolved' || i.status === 'closed')).toBe(true);
    expect(incidents.some((i) => i.status === 'in_progress')).toBe(true);
    const listed = await get('/api/v1/incidents', 'operator1@qala.demo');
    expect(listed.status).toBe(200);
  });

  it('gives the situation centre medians, an on-time share and ratings over the two weeks', async () => {
    const from = new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10);
    const r = await get(`/api/v1/situation/kpis?from=${from}`, 'supervisor@qala.demo');
    expect(r.status).toBe(200);
    const k = r.body.overall;
    expect(k.median_first_response_minutes).toBeGreaterThan(0);
    expect(k.median_resolution_minutes).toBeGreaterThan(k.median_first_response_minutes);
    expect(k.on_time_share).toBeGreaterThan(0.5);
    expect(k.on_time_share).toBeLessThan(1);
    expect(k.average_rating).toBeGreaterThanOrEqual(3);
    expect(k.overdue).toBeGreaterThan(0);
    // The executor's queue has work in progress.
    const mine = await get('/api/v1/tickets?status=in_progress', 'executor.heat@qala.demo');
    expect(mine.status).toBe(200);
    expect(mine.body.total ?? mine.body.tickets.length).toBeGreaterThan(0);
  });

  it('adds nothing when seeded a second time', async () => {
    const before = await Promise.all([count('tickets'), count('ratings'), inbound(), count('audit_log'), count('ticket_notes')]);
    const again = await seedHistory(centre.ctx);
    const users = await seedDemo(centre.ctx);
    expect(again).toEqual({ appeals: 0, actions: 0, incidents: 0 });
    expect(users).toEqual({ users: 0, appeals: 0 });
    expect(await Promise.all([count('tickets'), count('ratings'), inbound(), count('audit_log'), count('ticket_notes')])).toEqual(before);
  });

  it('runs every sweep over the demo and stays answering (no sweep holds the one PGlite connection)', async () => {
    const acted = await sweepOnce(centre.ctx, SWEEPS);
    // A failed sweep is logged and left out of the answer: every sweep must have finished.
    expect(Object.keys(acted).sort()).toEqual(SWEEPS.map((s) => s.name).sort());
    expect(await sweepOnce(centre.ctx, SWEEPS)).toBeTruthy();
    const kpis = await get('/api/v1/situation/kpis', 'supervisor@qala.demo');
    expect(kpis.status).toBe(200);
  });
});
