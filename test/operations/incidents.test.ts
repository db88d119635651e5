// Incidents over real HTTP on a real database, with the Telegram Bot API faked on loopback: three residents report
// one burst pipe through the web portal (Kazakh, English) and Telegram (Russian) and their tickets form one incident;
// a replayed open step makes no second one; an executor of another organisation is refused; an unrelated ticket is
// merged in and split out again; the water company accepts the incident, a late fourth report catches up with it,
// and an operator resolves it: every ticket is resolved in one transaction and every reporter is told, in their
// language and channel. Then operators group by hand: make an incident, merge one into another, split to dissolve.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, messageUpdate, type Person } from '../../src/demo/fakes/telegram.js';
import { groupOnOpen } from '../../src/incidents/membership.js';
import { type Change, commitChange, SYSTEM } from '../../src/outbox/change.js';
import { routeMessage } from '../../src/routing/stage.js';
import type { TicketRow } from '../../src/tickets/repository.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SECRET = 'incident-webhook-secret';
let fake: FakeTelegram;
let c: TestCentre;
const token: Record<string, string> = {};

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  c = await startTestCentre({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_URL: fake.url, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_POLLING: false });
  for (const [k, email] of Object.entries({
    operator: 'operator1@qala.demo',
    supervisor: 'supervisor@qala.demo',
    water: 'executor.water@qala.demo',
    heat: 'executor.heat@qala.demo',
    akim: 'akim@qala.demo',
  }))
    token[k] = await c.login(email);
});
afterAll(async () => {
  await c?.close();
  await fake?.stop();
});

const ticketRow = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const incidentCount = async () =>
  Number(
    (
      await c.ctx.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function web(text: string, extra: object = {}): Promise<string> {
  const r = await c.api('/api/v1/appeals', { body: { text, ...extra } });
  expect(r.status, r.text).toBe(201);
  return r.body.number;
}

let updateId = 1;
async function telegram(p: Person, text: string): Promise<string> {
  const u = { update_id: updateId++, ...messageUpdate(fake, p, { text }) };
  const r = await fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, SECRET);
  expect(r.status).toBe(200);
  const t = await waitFor('the Telegram ticket', () =>
    c.ctx.db
      .selectFrom('tickets as t')
      .innerJoin('messages as m', 'm.id', 't.source_message_id')
      .select('t.number')
      .where('m.channel', '=', 'telegram')
      .where('m.external_id', '=', `${p.id}:${u.message.message_id}`)
      .executeTakeFirst(),
  );
  return t.number;
}

/**
 * The row openTicket inserts for another report of the problem `like` is about, in the caller's change. Its number
 * is not taken from the ticket counter: the counter's row lock would queue the two changes one after the other and
 * hide what this test is about, the grouping step's own safety when two run at once.
 */
let sameReports = 0;
async function sameReport(change: Change, like: TicketRow) {
  const { tx } = change;
  const now = new Date();
  const m = await tx
    .insertInto('messages')
    .values({
      channel: 'web',
      external_id: `same-${randomUUID()}`,
      thread_ref: null,
      direction: 'in',
      resident_id: null,
      author_user_id: null,
      text: 'Прорвало водопровод',
      location: null,
      raw: '{}',
      received_at: now,
      stage: 'done',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: _id, number: _n, version: _v, incident_id: _i, ...same } = like;
  return tx
    .insertInto('tickets')
    .values({
      ...same,
      number: `AST-${now.getUTCFullYear()}-9${String(++sameReports).padStart(5, '0')}`,
      source_message_id: m.id,
      routing_trace: '[]',
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

const act = (number: string, who: string, body: object) => c.api(`/api/v1/incidents/${number}/actions`, { token: token[who], body });
const card = (number: string, who = 'operator') => c.api(`/api/v1/incidents/${number}`, { token: token[who] });

describe('three residents report one burst pipe', () => {
  const ruResident: Person = { id: 7101, first_name: 'Асель', language_code: 'ru' };
  const kkResident: Person = { id: 7102, first_name: 'Дәурен', language_code: 'kk' };
  let kk: string;
  let ru: string;
  let en: string;
  let incident: string;

  it('forms one incident with three tickets from the web in Kazakh, Telegram in Russian and the web in English', async () => {
    kk = await web('Сығанақ көшесі 29 үйдің жанында су құбыры жарылды, үйде су жоқ, су аулаға ағып жатыр', {
      contact: { name: 'Гүлнар Серікова', phone: '+7 701 555 44 33' },
    });
    ru = await telegram(ruResident, 'Прорвало трубу водопровода у дома на улице Сыганак 29, воды нет, вода заливает двор');
    en = await web('A water main burst near Syganak street 29, there is no water at home and the yard is flooded');
    const rows = await Promise.all([kk, ru, en].map(ticketRow));
    incident = rows[0]?.incident_id as string;
    expect(incident).toMatch(/^AST-\d{4}-I\d{5}$/);
    for (const t of rows) expect(t.incident_id).toBe(incident);

    const r = await card(incident);
    expect(r.status, r.text).toBe(200);
    expect(r.body.children.map((t: { number: string }) => t.number).sort()).toEqual([kk, ru, en].sort());
    expect(r.body).toMatchObject({ tickets: 3, opened_by: 'grouping', category: { code: 'WATR' }, organisation: { id: 'astana-su-arnasy' } });
    expect(r.body.history[0]).toMatchObject({ action: 'incident.opened', actor_type: 'system' });
    // The staff card names no resident: not the name, not the phone the Kazakh resident left.
    expect(r.text).not.toContain('Гүлнар');
    expect(r.text).not.toContain('555 44 33');
    // The ticket's own card points at its incident, and its history says when it joined.
    const t = await c.api(`/api/v1/tickets/${en}`, { token: token.operator });
    expect(t.body.incident).toBe(incident);
    expect(t.body.history.map((h: { action: string }) => h.action)).toContain('ticket.incident_joined');
    const list = await c.api('/api/v1/incidents?category=WATR&status=assigned', { token: token.operator });
    expect(list.body.incidents.map((i: { number: string }) => i.number)).toContain(incident);
  });

  it('makes no second incident when the open step is replayed', async () => {
    const before = await incidentCount();
    const messages = await c.ctx.db.selectFrom('tickets').select(['id', 'source_message_id']).where('number', 'in', [kk, ru, en]).execute();
    // A redelivered queue job runs the routing stage again; the grouping step of a ticket runs again.
    for (const m of messages) await routeMessage(c.ctx, m.source_message_id);
    for (const m of messages) await commitChange(c.ctx.db, SYSTEM, (change) => groupOnOpen(change, c.ctx, m.id));
    expect(await incidentCount()).toBe(before);
    for (const n of [kk, ru, en]) expect((await ticketRow(n)).incident_id).toBe(incident);
    expect((await card(incident)).body.tickets).toBe(3);
  });

  it('makes one incident, not two, of reports whose grouping runs at the same moment', async () => {
    const alone = await web('Прорвало водопровод у дома Сыганак 43, воды нет');
    const like = await ticketRow(alone);
    expect(like.incident_id).toBeNull();
    let grouped = () => {};
    const firstGrouped = new Promise<void>((r) => {
      grouped = r;
    });
    const one = commitChange(c.ctx.db, SYSTEM, async (change) => {
      const t = await sameReport(change, like);
      await groupOnOpen(change, c.ctx, t.id);
      grouped();
      // Held open a moment: the second report's grouping starts while the first incident is not yet committed.
      await new Promise((r) => setTimeout(r, 300));
      return t.number;
    });
    await firstGrouped;
    const two = commitChange(c.ctx.db, SYSTEM, async (change) => {
      const t = await sameReport(change, like);
      await groupOnOpen(change, c.ctx, t.id);
      return t.number;
    });
    const numbers = [alone, ...(await Promise.all([one, two]))];
    const ids = new Set((await Promise.all(numbers.map(ticketRow))).map((t) => t.incident_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^AST-\d{4}-I\d{5}$/);
  });

  it('refuses an executor of another organisation, and lets the water company’s executor read it', async () => {
    expect((await card(incident, 'heat')).status).toBe(403);
    expect((await act(incident, 'heat', { action: 'accept' })).status).toBe(403);
    const theirs = await c.api('/api/v1/incidents?limit=500', { token: token.heat });
    expect(theirs.body.incidents.map((i: { number: string }) => i.number)).not.toContain(incident);
    expect((await card(incident, 'water')).status).toBe(200);
    // Grouping by hand is the centre's, not an executor's; an official has no incident view.
    expect((await c.api(`/api/v1/incidents/${incident}/tickets`, { token: token.water, body: { tickets: [kk] } })).status).toBe(403);
    expect((await card(incident, 'akim')).status).toBe(403);
  });

  it('merges an unrelated ticket in and splits it back out', async () => {
    const road = await web('Яма на дороге на улице Кабанбай батыра 11, машины бьют колёса');
    expect((await ticketRow(road)).incident_id).toBeNull();
    const merged = await c.api(`/api/v1/incidents/${incident}/tickets`, { token: token.operator, body: { tickets: [road] } });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body.tickets).toBe(4);
    expect((await c.api(`/api/v1/tickets/${road}`, { token: token.operator })).body.incident).toBe(incident);
    const split = await c.api(`/api/v1/incidents/${incident}/tickets/${road}`, { token: token.operator, method: 'DELETE' });
    expect(split.status, split.text).toBe(200);
    expect(split.body.tickets).toBe(3);
    expect(split.body.dissolved_at).toBeNull();
    expect((await ticketRow(road)).incident_id).toBeNull();
    const actions = split.body.history.map((h: { action: string }) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['incident.tickets_added', 'incident.ticket_removed']));
    // Splitting a ticket that is not in the incident is "not found".
    expect((await c.api(`/api/v1/incidents/${incident}/tickets/${road}`, { token: token.operator, method: 'DELETE' })).status).toBe(404);
  });

  it('the water company accepts the incident: every ticket in progress, and a late report catches up', async () => {
    const v = (await card(incident)).body.version;
    const r = await act(incident, 'water', { action: 'accept', version: v });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('in_progress');
    for (const n of [kk, ru, en]) expect((await ticketRow(n)).status).toBe('in_progress');
    // A stale version is refused rather than overwriting someone else's change.
    expect((await act(incident, 'water', { action: 'resolve', reason: 'x', version: v })).status).toBe(409);

    const late = await telegram(kkResident, 'Сығанақ көшесі 29 үйде суық су жоқ, су құбыры жарылды');
    const t = await ticketRow(late);
    expect(t.incident_id).toBe(incident);
    expect(t.status).toBe('in_progress');
    const told = await waitFor('the late reporter told work has started', async () =>
      fake.sentTo(kkResident.id).find((s) => s.text.includes(late) && s.text.includes('жұмыс басталды')),
    );
    expect(told.text).toContain('Астана Су Арнасы');
  });

  it('an operator resolves the incident: every ticket resolved together and every reporter told in their language and channel', async () => {
    const r = await act(incident, 'operator', { action: 'resolve', note: 'Su arnasy replaced the pipe; water is back' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('resolved');
    const numbers = r.body.children.map((t: { number: string }) => t.number);
    expect(numbers).toHaveLength(4);
    for (const n of numbers) expect((await ticketRow(n)).status).toBe('resolved');

    // The incident's audit row and each ticket's were written by one transaction (one now()).
    const audit = await c.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.or([eb('action', '=', 'incident.resolve'), eb('action', '=', 'ticket.resolve')]))
      .where((eb) => eb.or([eb('entity_id', '=', incident), eb('entity_id', 'in', numbers)]))
      .execute();
    expect(audit).toHaveLength(5);
    expect(new Set(audit.map((a) => a.at.getTime())).size).toBe(1);

    // Each reporter, in their own language and channel.
    const outbox = await c.ctx.db
      .selectFrom('outbox as o')
      .innerJoin('tickets as t', 't.id', 'o.ticket_id')
      .select(['t.number', 'o.channel', 'o.payload'])
      .where('t.number', 'in', numbers)
      .where((eb) => eb.ref('o.payload', '->>').key('template'), '=', 'status.resolved')
      .execute();
    const told = Object.fromEntries(outbox.map((o) => [o.number, o]));
    expect(outbox).toHaveLength(4);
    expect(told[kk]).toMatchObject({ channel: 'web', payload: { language: 'kk' } });
    expect(told[en]).toMatchObject({ channel: 'web', payload: { language: 'en' } });
    expect(told[ru]).toMatchObject({ channel: 'telegram', payload: { language: 'ru' } });
    expect(String(told[en]?.payload.text)).toContain('Su arnasy replaced the pipe');
    await waitFor('the Russian reporter told on Telegram', async () =>
      fake.sentTo(ruResident.id).find((s) => s.text.includes(ru) && /выполненное/.test(s.text)),
    );
    // The web reporters read it on the portal by their number.
    const portal = await waitFor('the Kazakh reply on the portal', async () => {
      const a = await c.api(`/api/v1/appeals/${kk}`);
      return a.body.replies.find((x: { text: string }) => x.text.includes('орындалды'));
    });
    expect(portal.text).toContain(kk);
    // Open311 has no incidents, but each request's status follows its incident.
    for (const n of numbers) {
      const o = await c.api(`/open311/v2/requests/${n}.json`);
      expect(o.body[0].status).toBe('closed');
    }
  });
});

describe('operators group by hand', () => {
  let a: string;
  let b: string;
  let d: string;
  let e: string;
  let f: string;
  let first: string;
  let second: string;

  it('makes an incident of chosen tickets; supervisors may too, executors and officials may not', async () => {
    a = await web('Не горит уличное освещение на проспекте Туран 37, темно уже неделю');
    b = await web('Не работают фонари во дворе дома Туран 55');
    d = await web('Темно на улице Туран 70, фонари не горят');
    expect((await c.api('/api/v1/incidents', { token: token.water, body: { tickets: [a, b] } })).status).toBe(403);
    expect((await c.api('/api/v1/incidents', { token: token.akim, body: { tickets: [a, b] } })).status).toBe(403);
    expect((await c.api('/api/v1/incidents', { token: token.operator, body: { tickets: [a] } })).status).toBe(400);
    const r = await c.api('/api/v1/incidents', { token: token.operator, body: { tickets: [a, b], title: 'Туран: не горят фонари' } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ opened_by: 'operator', title: 'Туран: не горят фонари', tickets: 2 });
    first = r.body.number;
    const s = await c.api('/api/v1/incidents', { token: token.supervisor, body: { tickets: [d, a] } });
    expect(s.status, s.text).toBe(201);
    second = s.body.number;
    // Ticket a moved from the first incident to the second; the first, left with one ticket, dissolved.
    expect((await ticketRow(a)).incident_id).toBe(second);
    const gone = await card(first);
    expect(gone.body.dissolved_at).not.toBeNull();
    expect(gone.body.children).toEqual([]);
    expect((await ticketRow(b)).incident_id).toBeNull();
  });

  it('merges one incident into another, which dissolves into it', async () => {
    e = await web('Фонарь мигает и гаснет у дома Туран 80');
    f = await web('Фонари не горят у остановки Туран 90');
    const third = (await c.api('/api/v1/incidents', { token: token.operator, body: { tickets: [e, f] } })).body.number;
    const r = await c.api(`/api/v1/incidents/${second}/tickets`, { token: token.operator, body: { incidents: [third], tickets: [b] } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.children.map((t: { number: string }) => t.number).sort()).toEqual([a, b, d, e, f].sort());
    expect((await card(third)).body).toMatchObject({ merged_into: second, children: [] });
    expect((await c.api(`/api/v1/incidents/${third}/tickets`, { token: token.operator, body: { tickets: [e] } })).status).toBe(409);
    expect((await c.api(`/api/v1/incidents/${second}/tickets`, { token: token.operator, body: { incidents: [second] } })).status).toBe(400);
  });

  it('splits tickets out; the last one left goes on as a ticket of its own and the incident dissolves', async () => {
    for (const n of [a, b, d, e]) {
      const r = await c.api(`/api/v1/incidents/${second}/tickets/${n}`, { token: token.operator, method: 'DELETE' });
      expect(r.status, r.text).toBe(200);
    }
    const r = await card(second);
    expect(r.body.dissolved_at).not.toBeNull();
    expect((await ticketRow(f)).incident_id).toBeNull();
    expect(r.body.actions).toEqual([]);
    expect(r.body.history.at(-1).action).toBe('incident.dissolved');
    const live = await c.api('/api/v1/incidents?limit=500', { token: token.operator });
    expect(live.body.incidents.map((i: { number: string }) => i.number)).not.toContain(second);
    const dissolved = await c.api('/api/v1/incidents?dissolved=true&limit=500', { token: token.operator });
    expect(dissolved.body.incidents.map((i: { number: string }) => i.number)).toContain(second);
    expect((await act(second, 'operator', { action: 'resolve', note: 'починили' })).status).toBe(409);
  });
});
