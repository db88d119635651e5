// Routing over real HTTP on a real database: appeals about a building the registry knows go to that building's
// housing or lift company, with a trace naming the registry; others fall back to the housing department; and the
// hierarchy lets the department see its contractors' tickets but not the other way round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { syncReference } from '../../src/demo/seed.js';
import { DEMO_PASSWORD, startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
let operator: string;

// The demo registry's companies of "Кенесары, 40" (scripts/demo-registry.ts always gives it both).
const companyOf = (service: string) => {
  const streets = c.ctx.city.router.streets;
  const place = streets?.place('Кенесары, 40');
  const hit = place?.houseKey && c.ctx.city.registry.find(place.streetKey, place.houseKey, service);
  if (!hit) throw new Error(`the demo registry has no ${service} company for Кенесары, 40`);
  return hit;
};

async function addStaff(email: string, role: 'executor' | 'head', organisation: string): Promise<string> {
  const user = await c.ctx.db
    .insertInto('users')
    .values({ email, name: `${role} of ${organisation} (test)`, password_hash: await hashPassword(DEMO_PASSWORD), locale: 'ru' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await c.ctx.db.insertInto('memberships').values({ user_id: user.id, role, organisation_id: organisation }).execute();
  return c.login(email);
}

const file = async (text: string) => {
  const r = await c.api('/api/v1/phone-appeals', { token: operator, body: { text } });
  expect(r.status).toBe(201);
  return r.body as { number: string; organisation: { id: string } };
};
const ticket = (number: string, token = operator) => c.api(`/api/v1/tickets/${number}`, { token });

beforeAll(async () => {
  c = await startTestCentre({}, { demo: true });
  operator = await c.login('operator1@qala.demo');
}, 120_000);
afterAll(() => c?.close());

describe('routing by the building registry', () => {
  it('sends an appeal about a registered building to its housing company, and the trace names the registry', async () => {
    const company = companyOf('housing');
    const filed = await file('В доме по ул. Кенесары 40 не убирают подъезд');
    expect(filed.organisation.id).toBe(company.organisation);
    expect(filed.organisation.id).toMatch(/^demo-hc-\d{4}$/);
    const t = await ticket(filed.number);
    expect(t.body.address).toBe('Кенесары, 40');
    const decided = t.body.routing_trace.at(-1);
    expect(decided).toMatchObject({
      matched: true,
      organisation: company.organisation,
      registry: { service: 'housing', address: 'Кенесары, 40', line: company.line, file: 'buildings.csv' },
    });
    expect(decided.why).toContain(`the building registry (buildings.csv line ${company.line}) names`);
    expect(decided.why).toContain('as the housing organisation of Кенесары, 40');
  });

  it('sends a Kazakh appeal about the lift of that building to its lift company', async () => {
    const filed = await file('Кенесары көшесі 40 үйде лифт істемейді');
    expect(filed.organisation.id).toBe(companyOf('lift').organisation);
  });

  it('falls back to the housing department for a building the registry does not have, saying so', async () => {
    const filed = await file('В доме по ул. Кенесары 940 не убирают подъезд');
    expect(filed.organisation.id).toBe('dept-housing');
    const trace = (await ticket(filed.number)).body.routing_trace;
    expect(trace[0]).toMatchObject({ matched: false });
    expect(trace[0].why).toContain('the building registry has no housing organisation for Кенесары, 940');
    expect(trace.at(-1)).toMatchObject({ matched: true, organisation: 'dept-housing' });
  });

  it('falls back to the housing department when the appeal names no building', async () => {
    const filed = await file('Не убирают подъезд, председатель ОСИ не отвечает на звонки');
    expect(filed.organisation.id).toBe('dept-housing');
    const trace = (await ticket(filed.number)).body.routing_trace;
    expect(trace[0].why).toContain('the appeal names no street and house');
  });
});

describe('the organisation hierarchy', () => {
  it('has the registry companies in the database under the housing department, and a second sync rewrites none', async () => {
    const rows = await c.ctx.db.selectFrom('organisations').select(['id', 'parent_id', 'updated_at']).where('kind', '=', 'housing').execute();
    expect(rows).toHaveLength(1372);
    expect(new Set(rows.map((r) => r.parent_id))).toEqual(new Set(['dept-housing']));
    await syncReference(c.ctx.db, c.ctx.city);
    const again = await c.ctx.db.selectFrom('organisations').select(['id', 'updated_at']).where('kind', '=', 'housing').execute();
    const before = new Map(rows.map((r) => [r.id, r.updated_at.getTime()]));
    for (const r of again) expect(r.updated_at.getTime()).toBe(before.get(r.id));
  });

  it('lets the department’s executor and head list and read a contractor’s ticket; not the contractor the department’s', async () => {
    const contractor = companyOf('housing').organisation;
    const own = await file('Кенесары 40: в подъезде третий день не убирают, грязно');
    expect(own.organisation.id).toBe(contractor);
    const departments = await file('Подъезд не убирают, уборщица не приходит месяц');
    expect(departments.organisation.id).toBe('dept-housing');

    const deptExecutor = await addStaff('executor.housing@test.qala', 'executor', 'dept-housing');
    const deptHead = await addStaff('head.housing@test.qala', 'head', 'dept-housing');
    const companyExecutor = await addStaff('executor.osi@test.qala', 'executor', contractor);

    for (const token of [deptExecutor, deptHead]) {
      const list = await c.api('/api/v1/tickets?limit=500', { token });
      expect(list.status).toBe(200);
      const numbers = list.body.tickets.map((t: { number: string }) => t.number);
      expect(numbers).toContain(own.number);
      expect(numbers).toContain(departments.number);
      expect((await ticket(own.number, token)).status).toBe(200);
    }

    const list = await c.api('/api/v1/tickets?limit=500', { token: companyExecutor });
    const numbers = list.body.tickets.map((t: { number: string }) => t.number);
    expect(numbers).toContain(own.number);
    expect(numbers).not.toContain(departments.number);
    for (const t of list.body.tickets) expect(t.organisation.id).toBe(contractor);
    expect((await ticket(own.number, companyExecutor)).status).toBe(200);
    const refused = await ticket(departments.number, companyExecutor);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });
});
