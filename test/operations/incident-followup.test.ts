// What follows an incident's work, over real HTTP on a real database: a report joining an incident already in work
// is told once that it joined (and not twice by a replay or a merge); a report marked as a duplicate hears when the
// incident is resolved; the incident closes by itself once every ticket is finished — when the last residents
// confirm (even two at once), when the confirmation window's sweep closes the last ticket, when an operator rejects
// the last open one — audited as the system's doing; and an incident whose follow-up was lost to a restart between
// two changes is closed by the sweep, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followIncident, incidentFollowSweep } from '../../src/incidents/follow.js';
import { groupOnOpen } from '../../src/incidents/membership.js';
import { commitChange, SYSTEM } from '../../src/outbox/change.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { autoCloseSweep } from '../../src/tickets/loop-sweep.js';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
const token: Record<string, string> = {};

beforeAll(async () => {
  c = await startTestCentre();
  for (const [k, email] of Object.entries({ operator: 'operator1@qala.demo', water: 'executor.water@qala.demo' })) token[k] = await c.login(email);
});
afterAll(async () => {
  await c?.close();
});

const ticketRow = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const incidentRow = (number: string) => c.ctx.db.selectFrom('incidents').selectAll().where('id', '=', number).executeTakeFirstOrThrow();
const withKey = (key: string) => ({ 'x-appeal-key': key });
const act = (number: string, who: string, body: object) => c.api(`/api/v1/incidents/${number}/actions`, { token: token[who], body });
const ticketAct = (number: string, body: object) => c.api(`/api/v1/tickets/${number}/actions`, { token: token.operator, body });

async function file(text: string): Promise<{ number: string; key: string }> {
  const r = await c.api('/api/v1/appeals', { body: { text, contact: { name: 'Салтанат Ахметова', phone: '+7 701 222 33 44' } } });
  expect(r.status, r.text).toBe(201);
  return { number: r.body.number, key: r.body.access_key };
}

/** What the resident of ticket `number` was sent with `template`. */
const sent = (number: string, template: string) =>
  c.ctx.db
    .selectFrom('outbox as o')
    .innerJoin('tickets as t', 't.id', 'o.ticket_id')
    .select(['o.channel', 'o.payload', 'o.idempotency_key'])
    .where('t.number', '=', number)
    .where((eb) => eb.ref('o.payload', '->>').key('template'), '=', template)
    .execute();

const incidentAudit = (number: string, action: string) =>
  c.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', 'incident')
    .where('entity_id', '=', number)
    .where('action', '=', action)
    .execute();

describe('a burst main at Kenesary 40 worked as one incident', () => {
  let a: { number: string; key: string };
  let b: { number: string; key: string };
  let dup: { number: string; key: string };
  let late: { number: string; key: string };
  let incident: string;

  it('groups the reports; a report joining before any work is not told it joined', async () => {
    a = await file('Прорвало водопровод у дома на улице Кенесары 40, воды нет, вода заливает двор');
    b = await file('На Кенесары 40 прорвало трубу водопровода, во дворе течёт вода, в квартирах нет воды');
    incident = (await ticketRow(a.number)).incident_id as string;
    expect(incident).toMatch(/^AST-\d{4}-I\d{5}$/);
    dup = await file('Кенесары 40: авария водопровода, вода течёт по двору, воды нет');
    expect((await ticketRow(dup.number)).incident_id).toBe(incident);
    expect(await sent(dup.number, 'incident.joined')).toHaveLength(0);
    const r = await ticketAct(dup.number, { action: 'mark_duplicate', reason: `То же, что обращение ${a.number}` });
    expect(r.status, r.text).toBe(200);
  });

  it('a report joining after the water company accepted is told once, in its language, instead of a status message', async () => {
    const v = (await c.api(`/api/v1/incidents/${incident}`, { token: token.operator })).body.version;
    expect((await act(incident, 'water', { action: 'accept', version: v })).status).toBe(200);
    late = await file('Кенесары көшесі 40 үйдің жанында су құбыры жарылды, үйде су жоқ');
    const t = await ticketRow(late.number);
    expect(t).toMatchObject({ incident_id: incident, status: 'in_progress', organisation_id: 'astana-su-arnasy' });
    const joined = await sent(late.number, 'incident.joined');
    expect(joined).toHaveLength(1);
    expect(joined[0]?.payload.language).toBe('kk');
    const text = String(joined[0]?.payload.text);
    expect(text).toContain(late.number);
    expect(text).toContain('басқа тұрғындардың хабарламаларымен біріктірілді');
    expect(text).toContain('Астана Су Арнасы');
    expect(text).toMatch(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(UTC\+5\)/);
    // Nothing of the other reporters, and not a second message saying the same.
    expect(text).not.toContain('Салтанат');
    expect(text).not.toContain(a.number);
    expect(await sent(late.number, 'status.in_progress')).toHaveLength(0);
    expect(await sent(late.number, 'status.assigned')).toHaveLength(0);

    // A replayed grouping step and an operator's merge of the same ticket tell nothing more.
    await commitChange(c.ctx.db, SYSTEM, (change) => groupOnOpen(change, c.ctx, t.id));
    const merged = await c.api(`/api/v1/incidents/${incident}/tickets`, { token: token.operator, body: { tickets: [late.number] } });
    expect(merged.status, merged.text).toBe(200);
    expect(await sent(late.number, 'incident.joined')).toHaveLength(1);
  });

  it('resolving the incident tells the duplicate’s resident the problem is fixed, with the note, once', async () => {
    const r = await act(incident, 'operator', { action: 'resolve', note: 'Заменили участок трубы, вода подана' });
    expect(r.status, r.text).toBe(200);
    expect((await ticketRow(dup.number)).status).toBe('duplicate');
    const told = await sent(dup.number, 'incident.duplicate_resolved');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ channel: 'web', payload: { language: 'ru' } });
    expect(String(told[0]?.payload.text)).toContain(`обращении ${dup.number}, решена`);
    expect(String(told[0]?.payload.text)).toContain('Заменили участок трубы, вода подана');
    const [audit] = await incidentAudit(incident, 'incident.resolve');
    expect(audit?.data).toMatchObject({ duplicates_told: [dup.number] });
    // The others hear the ordinary resolution; the duplicate does not (it cannot confirm or reopen).
    expect(await sent(dup.number, 'status.resolved')).toHaveLength(0);
    expect(await sent(a.number, 'status.resolved')).toHaveLength(1);
  });

  it('stays resolved while any report waits for its resident, and closes when the last two confirm at once', async () => {
    const one = await c.api(`/api/v1/appeals/${a.number}/confirm`, { method: 'POST', headers: withKey(a.key) });
    expect(one.status, one.text).toBe(200);
    expect((await incidentRow(incident)).status).toBe('resolved');
    const both = await Promise.all([b, late].map((x) => c.api(`/api/v1/appeals/${x.number}/confirm`, { method: 'POST', headers: withKey(x.key) })));
    for (const r of both) expect(r.status, r.text).toBe(200);
    const i = await incidentRow(incident);
    expect(i.status).toBe('closed');
    expect(i.closed_at).not.toBeNull();
    const closes = await incidentAudit(incident, 'incident.close');
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ actor_type: 'system', actor_id: 'incidents', data: { from: 'resolved', to: 'closed', auto: true } });
    expect((closes[0]?.data as { tickets?: unknown[] } | undefined)?.tickets).toHaveLength(4);
    // Following again, or the sweep, changes nothing.
    expect(await followIncident(c.ctx, incident)).toBe(false);
    expect((await sweepOnce(c.ctx, [incidentFollowSweep]))['incidents.follow']).toBe(0);
  });
});

describe('the incident follows whoever finishes its last ticket', () => {
  async function pair(street: string): Promise<{ incident: string; tickets: string[] }> {
    const x = await file(`Не горит уличное освещение на улице ${street} 12, темно`);
    const y = await file(`Фонари не горят у дома ${street} 14`);
    const r = await c.api('/api/v1/incidents', { token: token.operator, body: { tickets: [x.number, y.number] } });
    expect(r.status, r.text).toBe(201);
    return { incident: r.body.number, tickets: [x.number, y.number] };
  }

  it('the confirmation window’s sweep closes the last tickets and the incident with them', async () => {
    const p = await pair('Бейбитшилик');
    expect((await act(p.incident, 'operator', { action: 'assign', organisation: 'astana-energiya' })).status).toBe(200);
    expect((await act(p.incident, 'operator', { action: 'resolve', note: 'Заменили лампы' })).status).toBe(200);
    const days = c.ctx.city.city.resident_loop.confirm_window_days;
    const later = new Date(Date.now() + (days + 10) * 86_400_000);
    const done = await sweepOnce(c.ctx, [autoCloseSweep], later);
    expect(done['resident-loop.auto-close']).toBeGreaterThanOrEqual(2);
    for (const n of p.tickets) expect((await ticketRow(n)).status).toBe('closed');
    const i = await incidentRow(p.incident);
    expect(i.status).toBe('closed');
    expect(i.closed_at?.getTime()).toBe(later.getTime());
    expect(await incidentAudit(p.incident, 'incident.close')).toHaveLength(1);
  });

  it('an operator rejecting the last open ticket closes the incident; one still open keeps it open', async () => {
    const p = await pair('Сарыарка');
    const [x, y] = p.tickets as [string, string];
    expect((await ticketAct(x, { action: 'reject', reason: 'Не городская территория' })).status).toBe(200);
    expect((await incidentRow(p.incident)).status).not.toBe('closed');
    expect((await ticketAct(y, { action: 'reject', reason: 'Не городская территория' })).status).toBe(200);
    expect((await incidentRow(p.incident)).status).toBe('closed');
    const [close] = await incidentAudit(p.incident, 'incident.close');
    expect(close?.data).toMatchObject({ to: 'closed', by: 'system', auto: true });
  });

  it('after a restart between the ticket’s change and the follow-up, the sweep closes the incident once', async () => {
    const p = await pair('Достык');
    // The tickets' own changes committed, the process stopped before following the incident.
    await c.ctx.db.updateTable('tickets').set({ status: 'closed', closed_at: new Date() }).where('number', 'in', p.tickets).execute();
    expect((await incidentRow(p.incident)).status).not.toBe('closed');
    const [first, second] = await Promise.all([sweepOnce(c.ctx, [incidentFollowSweep]), sweepOnce(c.ctx, [incidentFollowSweep])]);
    expect((first?.['incidents.follow'] ?? 0) + (second?.['incidents.follow'] ?? 0)).toBeGreaterThanOrEqual(1);
    expect((await incidentRow(p.incident)).status).toBe('closed');
    expect(await incidentAudit(p.incident, 'incident.close')).toHaveLength(1);
    expect((await sweepOnce(c.ctx, [incidentFollowSweep]))['incidents.follow']).toBe(0);
  });
});
