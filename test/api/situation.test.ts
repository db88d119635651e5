// The situation centre's API over real HTTP on a real database: KPIs computed right on a known set of tickets
// (medians, share on time, rating, per organisation and per district), the league table, trends, the at-risk list,
// who may read it (executors refused, the akim allowed), and a map that carries no text and no personal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
const tokens: Record<string, string> = {};

// Wednesday 10 March 2027, noon in Astana (UTC+5): "today" runs from 2027-03-09T19:00Z to 2027-03-10T19:00Z.
const NOW = new Date('2027-03-10T12:00:00+05:00');
const at = (hhmm: string, day = '2027-03-10') => new Date(`${day}T${hhmm}:00+05:00`);
const WATER = 'astana-su-arnasy';
const HEAT = 'astana-teplotranzit';

let seq = 0;
interface Known {
  org: string;
  district: string;
  status: string;
  created: Date;
  accepted?: Date;
  resolved?: Date;
  due: Date;
  reopens?: number;
  rating?: number;
  lat?: number;
  lon?: number;
}

/** A ticket with exactly these times (and the message it came from), written straight into the store. */
async function ticket(k: Known): Promise<string> {
  seq += 1;
  const number = `AST-2027-9${String(seq).padStart(5, '0')}`;
  const db = c.ctx.db;
  const resident = await db
    .insertInto('residents')
    .values({ name: 'Жанар Секретова', phone: '+7 701 555 44 33', email: 'zhanar@example.kz' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const m = await db
    .insertInto('messages')
    .values({
      channel: 'web',
      external_id: `situation-${seq}`,
      direction: 'in',
      text: 'Секретный текст обращения, кв. 45',
      resident_id: resident.id,
      location: JSON.stringify({ address: 'Кенесары 40, кв. 45' }),
      raw: '{}',
      stage: 'done',
      received_at: k.created,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const t = await db
    .insertInto('tickets')
    .values({
      number,
      status: k.status,
      category: 'WATR',
      organisation_id: k.org,
      district: k.district,
      address: 'Кенесары 40, кв. 45',
      lat: k.lat ?? 51.13,
      lon: k.lon ?? 71.43,
      urgency: 'normal',
      language: 'ru',
      channel: 'web',
      source_message_id: m.id,
      resident_id: resident.id,
      routing_trace: JSON.stringify([]),
      first_response_due: k.due,
      resolution_due: k.due,
      created_at: k.created,
      updated_at: k.resolved ?? k.accepted ?? k.created,
      assigned_at: k.created,
      accepted_at: k.accepted ?? null,
      resolved_at: k.resolved ?? null,
      reopen_count: k.reopens ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (k.rating) {
    await db
      .insertInto('ratings')
      .values({ ticket_id: t.id, resident_id: resident.id, score: k.rating, channel: 'web', created_at: at('11:45'), updated_at: at('11:45') })
      .execute();
  }
  return number;
}

const numbers = {} as Record<'onTime' | 'late' | 'yesterday' | 'overdue' | 'onTrack' | 'atRisk', string>;

beforeAll(async () => {
  c = await startTestCentre();
  for (const email of [
    'supervisor@qala.demo',
    'operator1@qala.demo',
    'akim@qala.demo',
    'executor.water@qala.demo',
    'head.water@qala.demo',
    'admin@qala.demo',
  ]) {
    tokens[email.split('@')[0] as string] = await c.login(email);
  }
  // The demo's own appeals are history here: closed, so the known set below is the whole picture.
  await c.ctx.db
    .updateTable('tickets')
    .set({ status: 'closed', closed_at: new Date('2026-01-01T00:00:00Z') })
    .execute();
  await c.ctx.db.updateTable('incidents').set({ status: 'closed' }).execute();
  c.ctx.now = () => NOW;
  // Water (Esil): one resolved on time (30 min to accept, 2 h to resolve, rated 5), one late (60 min, 3 h 30, rated 3,
  // reopened once); one from yesterday resolved today on time (24 h) in Saryarka.
  numbers.onTime = await ticket({
    org: WATER,
    district: 'esil',
    status: 'resolved',
    created: at('09:00'),
    accepted: at('09:30'),
    resolved: at('11:00'),
    due: at('18:00'),
    rating: 5,
  });
  numbers.late = await ticket({
    org: WATER,
    district: 'esil',
    status: 'resolved',
    created: at('08:00'),
    accepted: at('09:00'),
    resolved: at('11:30'),
    due: at('10:00'),
    rating: 3,
    reopens: 1,
  });
  numbers.yesterday = await ticket({
    org: WATER,
    district: 'saryarka',
    status: 'resolved',
    created: at('10:00', '2027-03-09'),
    accepted: at('11:00', '2027-03-09'),
    resolved: at('10:00'),
    due: at('18:00', '2027-03-11'),
  });
  // Heat (Almaty): one overdue (accepted after 90 min), one on track, one due in half an hour (at risk).
  numbers.overdue = await ticket({
    org: HEAT,
    district: 'almaty',
    status: 'in_progress',
    created: at('08:30'),
    accepted: at('10:00'),
    due: at('11:00'),
    lat: 51.16,
    lon: 71.55,
  });
  numbers.onTrack = await ticket({ org: HEAT, district: 'almaty', status: 'assigned', created: at('10:00'), due: at('18:00', '2027-03-19') });
  numbers.atRisk = await ticket({ org: HEAT, district: 'almaty', status: 'assigned', created: at('08:00'), due: at('12:30') });
});
afterAll(() => c?.close());

const get = (path: string, who = 'supervisor') => c.api(path, { token: tokens[who] });

describe('KPIs of today', () => {
  it('counts received, open, overdue and at risk, medians, the share on time, the rating and reopens for the city', async () => {
    const r = await get('/api/v1/situation/kpis');
    expect(r.status).toBe(200);
    expect(r.body.period).toEqual({ from: '2027-03-10T00:00:00+05:00', to: '2027-03-11T00:00:00+05:00' });
    expect(r.body.overall).toEqual({
      received: 5,
      open: 3,
      overdue: 1,
      at_risk: 1,
      resolved: 3,
      resolved_on_time: 2,
      on_time_share: 0.667,
      median_first_response_minutes: 60,
      median_resolution_minutes: 210,
      ratings: 2,
      average_rating: 4,
      reopens: 1,
    });
  });

  it('splits the figures per organisation and per district, quiet ones included', async () => {
    const r = await get('/api/v1/situation/kpis');
    const org = (id: string) => r.body.organisations.find((o: { id: string }) => o.id === id);
    expect(org(WATER)).toMatchObject({
      received: 2,
      open: 0,
      resolved: 3,
      on_time_share: 0.667,
      median_first_response_minutes: 45,
      median_resolution_minutes: 210,
      average_rating: 4,
    });
    expect(org(HEAT)).toMatchObject({
      received: 3,
      open: 3,
      overdue: 1,
      at_risk: 1,
      resolved: 0,
      on_time_share: null,
      median_first_response_minutes: 90,
    });
    expect(r.body.organisations.length).toBe(c.ctx.city.organisations.length);
    expect(org(WATER).name.kk).toBeTruthy();
    const district = (id: string) => r.body.districts.find((d: { id: string }) => d.id === id);
    expect(district('esil')).toMatchObject({ received: 2, resolved: 2, resolved_on_time: 1, ratings: 2, average_rating: 4, reopens: 1 });
    expect(district('almaty')).toMatchObject({ received: 3, open: 3, overdue: 1, at_risk: 1 });
    expect(district('saryarka')).toMatchObject({ received: 0, resolved: 1, on_time_share: 1, median_resolution_minutes: 1440 });
    expect(district('nura')).toMatchObject({ received: 0, open: 0, ratings: 0, average_rating: null });
  });

  it('takes another period by from/to, and refuses one that ends before it starts', async () => {
    const y = await get(
      `/api/v1/situation/kpis?from=${encodeURIComponent('2027-03-09T00:00:00+05:00')}&to=${encodeURIComponent('2027-03-10T00:00:00+05:00')}`,
    );
    expect(y.body.overall).toMatchObject({ received: 1, resolved: 0, median_first_response_minutes: 60, open: 3 });
    const bad = await get(`/api/v1/situation/kpis?from=2027-03-10&to=2027-03-09`);
    expect(bad.status).toBe(400);
  });
});

describe('league, trends and the at-risk list', () => {
  it('ranks organisations by a chosen KPI, missing figures last', async () => {
    const r = await get('/api/v1/situation/league?by=organisations&sort=received&dir=desc');
    expect(r.body.rows.slice(0, 2).map((x: { id: string; rank: number }) => [x.rank, x.id])).toEqual([
      [1, HEAT],
      [2, WATER],
    ]);
    const share = await get('/api/v1/situation/league?by=districts&sort=on_time_share&dir=asc');
    expect(share.body.rows.map((x: { id: string }) => x.id).slice(0, 2)).toEqual(['esil', 'saryarka']);
    expect(share.body.rows.at(-1).on_time_share).toBeNull();
    expect((await get('/api/v1/situation/league?sort=nonsense')).status).toBe(400);
  });

  it('counts appeals per category and day, today last', async () => {
    const r = await get('/api/v1/situation/trends?days=3');
    expect(r.body.days).toEqual(['2027-03-08', '2027-03-09', '2027-03-10']);
    expect(r.body.categories[0]).toEqual({ code: 'WATR', counts: [0, 1, 5], total: 6 });
  });

  it('lists the overdue and at-risk tickets, the soonest deadline first, without addresses', async () => {
    const r = await get('/api/v1/situation/at-risk');
    expect(r.body.total).toBe(2);
    expect(r.body.tickets.map((t: { number: string; state: string }) => [t.number, t.state])).toEqual([
      [numbers.overdue, 'overdue'],
      [numbers.atRisk, 'at_risk'],
    ]);
    expect(r.body.tickets[1].operator.kk).toBeTruthy();
    expect(JSON.stringify(r.body)).not.toContain('Кенесары');
  });
});

describe('who reads the situation centre', () => {
  it('lets supervisors, operators, admins and the akim in, and refuses executors, heads and strangers', async () => {
    for (const who of ['supervisor', 'operator1', 'admin', 'akim']) expect((await get('/api/v1/situation/kpis', who)).status, who).toBe(200);
    for (const who of ['executor.water', 'head.water']) {
      for (const path of ['kpis', 'league', 'trends', 'at-risk', 'map'])
        expect((await get(`/api/v1/situation/${path}`, who)).status, `${who} ${path}`).toBe(403);
    }
    expect((await c.api('/api/v1/situation/map')).status).toBe(401);
  });
});

describe('the map', () => {
  it('shows open tickets coloured by their deadline and live incidents, with no text and no personal data', async () => {
    const r = await get('/api/v1/situation/map', 'akim');
    expect(r.status).toBe(200);
    const states = Object.fromEntries(r.body.tickets.map((t: { number: string; state: string }) => [t.number, t.state]));
    expect(states).toEqual({ [numbers.overdue]: 'overdue', [numbers.onTrack]: 'on_track', [numbers.atRisk]: 'at_risk' });
    expect(Object.keys(r.body.tickets[0]).sort()).toEqual([
      'category',
      'district',
      'incident',
      'lat',
      'lon',
      'number',
      'organisation',
      'state',
      'status',
      'urgency',
    ]);
    expect(r.body.districts.find((d: { id: string }) => d.id === 'almaty')).toEqual({ id: 'almaty', open: 3, overdue: 1, at_risk: 1 });
    expect(r.body.tile_url).toBeNull();
    const text = JSON.stringify(r.body);
    for (const secret of ['Жанар', '+7 701', 'zhanar@', 'кв. 45', 'Секретный', 'Кенесары']) expect(text).not.toContain(secret);
  });
});
