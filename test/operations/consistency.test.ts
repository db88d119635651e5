// "The API and the Open311 output show deadlines and states consistently": one ticket walked through every status
// (assigned, new, assigned, in_progress, waiting, in_progress, resolved, reopened, resolved, closed) and another
// rejected, over real HTTP on a real database. At each step the staff card (status, deadline, deadline_view,
// overdue), the public status lookup (status, deadline, the city's latest reply) and Open311 GET (status
// open/closed, expected_datetime, status_notes, updated_datetime) must tell the same story; then the clock is moved
// past the deadline and every view must agree it is overdue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES, type TicketStatus } from '../../src/tickets/lifecycle.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

let c: TestCentre;
const token: Record<string, string> = {};

beforeAll(async () => {
  c = await startTestCentre();
  for (const [k, email] of Object.entries({ operator: 'operator1@qala.demo', water: 'executor.water@qala.demo' })) token[k] = await c.login(email);
});
afterAll(async () => {
  await c?.close();
});

const PERSONAL = ['Гульмира', '777 123 45 67', 'кв. 8'];

/** Every message the change queued has been delivered (the public views show the city's replies). */
const delivered = (number: string) =>
  waitFor(`the replies of ${number} delivered`, async () => {
    const pending = await c.ctx.db
      .selectFrom('outbox as o')
      .innerJoin('tickets as t', 't.id', 'o.ticket_id')
      .select('o.id')
      .where('t.number', '=', number)
      .where('o.status', '=', 'pending')
      .execute();
    return pending.length === 0;
  });

/** The three views of a ticket, checked against each other; returns the staff card. */
async function views(number: string, expected: TicketStatus) {
  await delivered(number);
  const staff = await c.api(`/api/v1/tickets/${number}`, { token: token.operator });
  const pub = await c.api(`/api/v1/appeals/${number}`);
  const o311 = await c.api(`/open311/v2/requests/${number}.json`);
  for (const r of [staff, pub, o311]) expect(r.status, r.text).toBe(200);
  const [req] = o311.body;
  const open = OPEN_STATUSES.has(expected);

  expect(staff.body.status).toBe(expected);
  expect(pub.body.status).toBe(expected);
  expect(req.status).toBe(open ? 'open' : 'closed');

  // One deadline, in the city's time, everywhere.
  expect(staff.body.deadline).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:00$/);
  expect(staff.body.deadline_view.due).toBe(staff.body.deadline);
  expect(pub.body.deadline).toBe(staff.body.deadline);
  expect(req.expected_datetime).toBe(staff.body.deadline);
  const local = `${staff.body.deadline.slice(8, 10)}.${staff.body.deadline.slice(5, 7)}.${staff.body.deadline.slice(0, 4)} ${staff.body.deadline.slice(11, 16)}`;
  expect(pub.body.deadline_text).toBe(`${local} (UTC+5)`);

  // The deadline's state follows the status: paused while waiting, met or missed once finished.
  const state = staff.body.deadline_view.state;
  if (expected === 'waiting') expect(state).toBe('paused');
  else if (open) expect(['on_track', 'at_risk', 'overdue']).toContain(state);
  else expect(['met', 'missed']).toContain(state);
  expect(staff.body.overdue).toBe(state === 'overdue');

  // The same moment of last change, and the city's latest reply as the status notes.
  expect(req.updated_datetime).toBe(pub.body.updated_at);
  const last = pub.body.replies.at(-1)?.text ?? null;
  expect(req.status_notes).toBe(last);
  for (const p of PERSONAL) {
    expect(o311.text).not.toContain(p);
    expect(pub.text).not.toContain(p);
  }
  return staff.body;
}

async function act(who: string, number: string, body: object) {
  const r = await c.api(`/api/v1/tickets/${number}/actions`, { token: token[who], body });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

async function file(text: string) {
  const r = await c.api('/api/v1/appeals', { body: { text, contact: { name: 'Гульмира Нурланова', phone: '+7 777 123 45 67' } } });
  expect(r.status, r.text).toBe(201);
  return { number: r.body.number as string, key: r.body.access_key as string };
}

describe('one ticket through every status: staff API, public lookup and Open311 agree', () => {
  let a: { number: string; key: string };
  const key = () => ({ 'x-appeal-key': a.key });

  it('assigned on filing, new after the water company hands it back, assigned again, in progress', async () => {
    a = await file('Нет холодной воды во всём доме на улице Кенесары 52 с утра, кв. 8');
    const first = await views(a.number, 'assigned');
    expect(first.organisation.id).toBe('astana-su-arnasy');
    await act('water', a.number, { action: 'hand_back', reason: 'Авария на внутридомовых сетях, это КСК' });
    await views(a.number, 'new');
    await act('operator', a.number, { action: 'assign', organisation: 'astana-su-arnasy' });
    await views(a.number, 'assigned');
    await act('water', a.number, { action: 'accept' });
    await views(a.number, 'in_progress');
  });

  it('waiting for the resident (paused, the same deadline everywhere), then in progress with the moved deadline', async () => {
    const before = (await views(a.number, 'in_progress')).deadline;
    await act('water', a.number, { action: 'ask', question: 'Вода пропала во всех подъездах?' });
    const waiting = await views(a.number, 'waiting');
    expect(waiting.deadline).toBe(before);
    // The resident answers the next working day: the wait is added to the deadline in every view.
    const paused = await c.ctx.db.selectFrom('tickets').select('paused_at').where('number', '=', a.number).executeTakeFirstOrThrow();
    const real = c.ctx.now;
    c.ctx.now = () => new Date((paused.paused_at as Date).getTime() + 26 * 3_600_000);
    try {
      const r = await c.api(`/api/v1/appeals/${a.number}/details`, { body: { text: 'Да, во всех трёх подъездах' }, headers: key() });
      expect(r.status, r.text).toBe(201);
    } finally {
      c.ctx.now = real;
    }
    const resumed = await views(a.number, 'in_progress');
    expect(new Date(resumed.deadline).getTime()).toBeGreaterThan(new Date(before).getTime());
    expect(resumed.paused_minutes).toBeGreaterThan(0);
  });

  it('resolved (Open311 closed, the resolution note as status notes), reopened by the resident, resolved and confirmed', async () => {
    await act('operator', a.number, { action: 'resolve', note: 'Заменили задвижку на вводе, вода подана' });
    const resolved = await views(a.number, 'resolved');
    expect(resolved.deadline_view.state).toBe('met');
    const o311 = await c.api(`/open311/v2/requests/${a.number}.json`);
    expect(o311.body[0].status_notes).toContain('Заменили задвижку на вводе, вода подана');
    const r = await c.api(`/api/v1/appeals/${a.number}/reopen`, { body: { reason: 'Вода снова пропала вечером' }, headers: key() });
    expect(r.status, r.text).toBe(200);
    await views(a.number, 'reopened');
    await act('water', a.number, { action: 'accept' });
    await views(a.number, 'in_progress');
    await act('operator', a.number, { action: 'resolve', note: 'Заменили второй участок трубы' });
    await views(a.number, 'resolved');
    const confirmed = await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST', headers: key() });
    expect(confirmed.status, confirmed.text).toBe(200);
    const closed = await views(a.number, 'closed');
    expect(closed.closed_at).not.toBeNull();
  });

  it('rejected: closed in Open311, its deadline still the one it had', async () => {
    const b = await file('Не работает домофон в подъезде на улице Кенесары 52, кв. 8');
    await act('operator', b.number, { action: 'reject', reason: 'Домофон — частная услуга, не городская служба' });
    await views(b.number, 'rejected');
  });

  it('past the deadline on a controlled clock, every view agrees the ticket is overdue', async () => {
    const d = await file('Прорвало трубу холодной воды в подвале дома на улице Кенесары 58, кв. 8');
    const t = await views(d.number, 'assigned');
    const real = c.ctx.now;
    c.ctx.now = () => new Date(new Date(t.deadline).getTime() + 3_600_000);
    try {
      const late = await views(d.number, 'assigned');
      expect(late.deadline_view.state).toBe('overdue');
      expect(late.overdue).toBe(true);
      const list = await c.api(`/api/v1/tickets?limit=500`, { token: token.operator });
      expect(list.body.tickets.find((x: { number: string }) => x.number === d.number)?.overdue).toBe(true);
    } finally {
      c.ctx.now = real;
    }
    // And back on the real clock it is on track again.
    expect((await views(d.number, 'assigned')).overdue).toBe(false);
  });
});
