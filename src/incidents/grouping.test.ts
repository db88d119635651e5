// Grouping decisions and how an incident's work carries to its tickets, as plain data: no database, milliseconds.
import { describe, expect, it } from 'vitest';
import { type Candidate, decideGrouping, type GroupingConfig, initialStatus, type PlacedTicket, sameProblem, shapeOf } from './grouping.js';
import { after, allowedIncidentActions, catchUp, incidentAction, joinsWork, START, stepsFor } from './plan.js';

const CFG: GroupingConfig = { radius_m: 150, window_hours: 48, min_tickets: 2 };
const T0 = new Date('2026-03-10T08:00:00Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
// Кенесары 40 and a point ~100 m north of it, and one ~1 km away.
const HERE = { lat: 51.1694, lon: 71.4491 };
const NEAR = { lat: 51.1703, lon: 71.4491 };
const FAR = { lat: 51.1784, lon: 71.4491 };

let ids = 1;
function ticket(over: Partial<PlacedTicket> = {}): PlacedTicket {
  return {
    id: ids++,
    category: 'WATR',
    district: 'almaty',
    address: null,
    lat: null,
    lon: null,
    organisation_id: 'astana-su-arnasy',
    status: 'assigned',
    created_at: T0,
    incident_id: null,
    ...over,
  };
}
const candidate = (over: Partial<Candidate> = {}): Candidate => ({ repeated: false, incident_open: false, ...ticket(over), ...over });

describe('sameProblem', () => {
  it('joins tickets of one category within the radius, and says how far apart they are', () => {
    expect(sameProblem(ticket(HERE), ticket(NEAR), CFG)).toMatch(/^same category within 10\d m$/);
  });

  it('keeps apart tickets a kilometre apart, of another category, or opened outside the window', () => {
    expect(sameProblem(ticket(HERE), ticket(FAR), CFG)).toBeNull();
    expect(sameProblem(ticket(HERE), ticket({ ...NEAR, category: 'ROAD' }), CFG)).toBeNull();
    expect(sameProblem(ticket(HERE), ticket({ ...NEAR, created_at: hours(49) }), CFG)).toBeNull();
    expect(sameProblem(ticket({ ...HERE, category: null }), ticket({ ...NEAR, category: null }), CFG)).toBeNull();
  });

  it('joins the same building written three ways (ru street words, kk street words, a flat number)', () => {
    const a = ticket({ address: 'ул. Кенесары, д. 40, кв. 5' });
    const b = ticket({ address: 'Кенесары көшесі 40' });
    expect(sameProblem(a, b, CFG)).toBe('same category at the same building');
    expect(sameProblem(a, ticket({ address: 'Кенесары 42' }), CFG)).toBeNull();
  });
});

describe('decideGrouping', () => {
  it('does nothing for a ticket with no open ticket of the same problem', () => {
    const d = decideGrouping(ticket(HERE), [candidate(FAR), candidate({ ...NEAR, status: 'resolved' })], CFG);
    expect(d.kind).toBe('none');
  });

  it('creates an incident once the related free tickets and this one reach min_tickets', () => {
    const a = candidate(NEAR);
    const three = { ...CFG, min_tickets: 3 };
    expect(decideGrouping(ticket(HERE), [a], three)).toMatchObject({ kind: 'none', why: '2 of 3 reports needed for an incident' });
    const b = candidate({ address: 'Кенесары 40' });
    const d = decideGrouping(ticket({ ...HERE, address: 'ул. Кенесары 40' }), [a, b], three);
    expect(d).toMatchObject({ kind: 'create', with: [a.id, b.id] });
  });

  it('joins the incident its related tickets already form instead of creating another', () => {
    const member = candidate({ ...NEAR, incident_id: 'AST-2026-I00001', incident_open: true });
    const free = candidate(NEAR);
    expect(decideGrouping(ticket(HERE), [free, member], CFG)).toMatchObject({ kind: 'join', incident: 'AST-2026-I00001', related: [member.id] });
  });

  it('follows the triage: a repeat of a ticket joins its incident wherever it was written from', () => {
    const far = candidate({ ...FAR, incident_id: 'AST-2026-I00002', incident_open: true, repeated: true });
    const near = candidate({ ...NEAR, incident_id: 'AST-2026-I00001', incident_open: true });
    const other = candidate({ ...NEAR, incident_id: 'AST-2026-I00001', incident_open: true });
    expect(decideGrouping(ticket(HERE), [near, other, far], CFG)).toMatchObject({ kind: 'join', incident: 'AST-2026-I00002' });
    // Without a repeat, the incident most related tickets share.
    expect(decideGrouping(ticket(HERE), [near, other], CFG)).toMatchObject({ kind: 'join', incident: 'AST-2026-I00001' });
  });

  it('groups a repeat even when the categories differ or there is no place (the triage already compared them)', () => {
    const r = candidate({ category: 'HEAT', repeated: true });
    expect(decideGrouping(ticket({ category: null }), [r], CFG)).toMatchObject({ kind: 'create', with: [r.id] });
  });

  it('leaves tickets of a finished incident where they are', () => {
    const done = candidate({ ...NEAR, incident_id: 'AST-2026-I00003', incident_open: false });
    expect(decideGrouping(ticket(HERE), [done], CFG)).toMatchObject({ kind: 'none' });
  });
});

describe('the shape of a new incident', () => {
  it('starts from the least advanced open status, a waiting ticket counting as in work', () => {
    expect(initialStatus(['in_progress', 'assigned'])).toBe('assigned');
    expect(initialStatus(['in_progress', 'new'])).toBe('new');
    expect(initialStatus(['waiting', 'in_progress'])).toBe('in_progress');
  });

  it('takes the common category, organisation and address, and the centroid of the points', () => {
    const s = shapeOf([
      ticket({ ...HERE, address: 'ул. Кенесары 40, кв. 5' }),
      ticket({ ...NEAR, address: 'Кенесары көшесі 40' }),
      ticket({ address: 'Абая 10', organisation_id: 'ikomek' }),
    ]);
    expect(s).toMatchObject({ category: 'WATR', organisation_id: 'astana-su-arnasy', district: 'almaty', address: 'ул. Кенесары 40, кв. 5' });
    expect(s.lat).toBeCloseTo(51.16985, 5);
    expect(s.lon).toBeCloseTo(71.4491, 5);
  });
});

describe('work on an incident carries to its tickets by the lifecycle', () => {
  it('takes the actions of a whole incident and refuses per-report ones', () => {
    expect(incidentAction('resolve')).toBe('resolve');
    expect(incidentAction('start')).toBe(START);
    expect(incidentAction('ask')).toBeUndefined();
    expect(incidentAction('mark_duplicate')).toBeUndefined();
    expect(allowedIncidentActions('assigned')).toEqual(expect.arrayContaining(['assign', START, 'resolve']));
    expect(allowedIncidentActions('resolved')).toEqual(['close', 'reopen']);
  });

  it('moves each ticket by the same action, a waiting one through resume first, and leaves rejected ones', () => {
    expect(stepsFor('assigned', 'resolve')).toEqual(['resolve']);
    expect(stepsFor('waiting', 'resolve')).toEqual(['resume', 'resolve']);
    expect(after('waiting', ['resume', 'resolve'])).toBe('resolved');
    expect(stepsFor('resolved', 'resolve')).toBeNull();
    expect(stepsFor('rejected', 'reopen')).toBeNull();
    expect(stepsFor('closed', 'reopen')).toEqual(['reopen']);
  });

  it('makes a ticket joining an incident in work catch up, and leaves one joining an incident only grouped', () => {
    const worked = { status: 'in_progress', organisation_id: 'astana-su-arnasy', worked: true };
    expect(catchUp(worked, { status: 'assigned', organisation_id: 'ikomek' })).toEqual(['assign', START]);
    expect(catchUp(worked, { status: 'new', organisation_id: 'astana-su-arnasy' })).toEqual(['assign', START]);
    expect(catchUp(worked, { status: 'in_progress', organisation_id: 'astana-su-arnasy' })).toEqual([]);
    expect(catchUp({ ...worked, status: 'assigned' }, { status: 'assigned', organisation_id: 'ikomek' })).toEqual(['assign']);
    expect(catchUp({ ...worked, worked: false }, { status: 'assigned', organisation_id: 'ikomek' })).toEqual([]);
    expect(catchUp(worked, { status: 'waiting', organisation_id: 'ikomek' })).toEqual([]);
  });

  it('tells a report it joined work going on only when the incident is assigned or started and the report can follow', () => {
    const worked = { status: 'assigned', organisation_id: 'astana-su-arnasy', worked: true };
    expect(joinsWork(worked, { status: 'new' })).toBe(true);
    // Already where the incident is: nothing to catch up, still news to its resident.
    expect(joinsWork({ ...worked, status: 'in_progress' }, { status: 'in_progress' })).toBe(true);
    expect(joinsWork({ ...worked, worked: false }, { status: 'new' })).toBe(false);
    expect(joinsWork({ ...worked, organisation_id: null }, { status: 'new' })).toBe(false);
    expect(joinsWork({ ...worked, status: 'resolved' }, { status: 'new' })).toBe(false);
    expect(joinsWork(worked, { status: 'waiting' })).toBe(false);
    expect(joinsWork(worked, { status: 'duplicate' })).toBe(false);
  });
});
