// Open311 GeoReport v2 GET Service Requests over real HTTP, in JSON and XML: the default 90-day window and 1000 limit,
// the filters (service_request_id, service_code, status, start_date/end_date), no personal data in any answer, and a
// third-party client walking discovery → services → definition → POST → token → request with the spec's fields only.
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OPEN311_KEY, startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
// biome-ignore lint/suspicious/noExplicitAny: a decoded JSON or XML answer, which the assertions check field by field
type Doc = any;
type Fmt = 'json' | 'xml';
const FORMATS: Fmt[] = ['json', 'xml'];
const DAY = 86_400_000;
const LISTS = new Set(['service', 'request', 'error', 'endpoint', 'attribute', 'value', 'format']);
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.has(name) });
const w3 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function read(url: string, init?: RequestInit) {
  const r = await fetch(url.startsWith('http') ? url : c.url + url, init);
  const text = await r.text();
  const body = (r.headers.get('content-type') ?? '').startsWith('text/xml') ? xml.parse(text) : JSON.parse(text);
  return { status: r.status, text, body };
}
/** The list a GeoReport answer carries: JSON is the list, XML wraps it in root/item. */
const items = (fmt: Fmt, body: Doc, root: string, item: string): Doc[] => (fmt === 'json' ? body : (body[root]?.[item] ?? []));
const postForm = (fmt: Fmt, form: URLSearchParams, base = `${c.url}/open311/v2/`) =>
  read(`${base}requests.${fmt}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
async function file(service_code: string, extra: Record<string, string> = {}): Promise<string> {
  const r = await postForm('json', new URLSearchParams({ api_key: OPEN311_KEY, service_code, lat: '51.16', long: '71.45', ...extra }));
  expect(r.status).toBe(201);
  return r.body[0].service_request_id;
}
/** service_request_ids of GET requests.{fmt}?query, checking the answer is 200 and uses the standard element names. */
async function ids(fmt: Fmt, query = ''): Promise<string[]> {
  const r = await read(`/open311/v2/requests.${fmt}${query ? `?${query}` : ''}`);
  expect(r.status, r.text).toBe(200);
  if (fmt === 'xml') expect(Object.keys(r.body).filter((k) => k !== '?xml')).toEqual(['service_requests']);
  return items(fmt, r.body, 'service_requests', 'request').map((x) => x.service_request_id);
}
const setTicket = (number: string, values: { status?: string; created_at?: Date; closed_at?: Date; updated_at?: Date }) =>
  c.ctx.db.updateTable('tickets').set(values).where('number', '=', number).execute();

let water: string;
let road: string;
let heat: string;
let old: string;
let closed: string;
beforeAll(async () => {
  c = await startTestCentre({}, { demo: false });
  water = await file('WATR', { description: 'Нет воды во всём доме' });
  road = await file('ROAD', { description: 'Яма на дороге' });
  heat = await file('HEAT', { description: 'Холодные батареи в подъезде' });
  closed = await file('ROAD', { description: 'Сломан бордюр' });
  old = await file('WATR', { description: 'Ржавая вода из крана' });
  await setTicket(closed, { status: 'closed', closed_at: new Date(), updated_at: new Date() });
  await setTicket(old, { created_at: new Date(Date.now() - 100 * DAY) });
});
afterAll(() => c?.close());

describe('GET service requests', () => {
  it.each(FORMATS)('returns the last 90 days by default, newest first (%s)', async (fmt) => {
    const got = await ids(fmt);
    expect(got).toEqual([closed, heat, road, water]);
    expect(got).not.toContain(old);
  });

  it.each(FORMATS)('returns the listed service_request_ids whatever their date, overriding every other argument (%s)', async (fmt) => {
    expect((await ids(fmt, `service_request_id=${old},${water}`)).sort()).toEqual([old, water].sort());
    expect((await ids(fmt, `service_request_id=${old}&service_code=ROAD&status=closed&start_date=${w3(Date.now() - DAY)}`)).sort()).toEqual([old]);
    expect(await ids(fmt, 'service_request_id=AST-1999-000001')).toEqual([]);
    expect(await ids(fmt, 'service_request_id=,')).toEqual(await ids(fmt));
  });

  it.each(FORMATS)('filters by service_code, one or several (%s)', async (fmt) => {
    expect(await ids(fmt, 'service_code=ROAD')).toEqual([closed, road]);
    expect(await ids(fmt, 'service_code=ROAD,HEAT')).toEqual([closed, heat, road]);
    expect(await ids(fmt, 'service_code=SNOW')).toEqual([]);
  });

  it.each(FORMATS)('filters by status open or closed, and answers the status of each request (%s)', async (fmt) => {
    expect(await ids(fmt, 'status=open')).toEqual([heat, road, water]);
    expect(await ids(fmt, 'status=closed')).toEqual([closed]);
    expect(await ids(fmt, 'status=open,closed')).toEqual([closed, heat, road, water]);
    const r = await read(`/open311/v2/requests/${closed}.${fmt}`);
    expect(items(fmt, r.body, 'service_requests', 'request')[0].status).toBe('closed');
  });

  it.each(FORMATS)('filters by start_date and end_date (%s)', async (fmt) => {
    const now = Date.now();
    expect(await ids(fmt, `start_date=${w3(now - 101 * DAY)}&end_date=${w3(now - 99 * DAY)}`)).toEqual([old]);
    expect(await ids(fmt, `start_date=${w3(now - 3_600_000)}`)).toEqual([closed, heat, road, water]);
    expect(await ids(fmt, `end_date=${w3(now - 3_600_000)}`)).toEqual([]);
    expect(await ids(fmt, `start_date=2000-01-01T00:00:00%2B05:00&end_date=2000-02-01T00:00:00%2B05:00`)).toEqual([]);
  });

  it.each(FORMATS)('treats empty optional arguments as not sent (%s)', async (fmt) => {
    expect(await ids(fmt, 'service_code=&status=&start_date=&end_date=&service_request_id=&jurisdiction_id=')).toEqual(await ids(fmt));
  });

  const bad = [
    ['a start_date that is not a date', 'start_date=yesterday', 'start_date'],
    ['an end_date that is not a date', 'end_date=2026-13-45T00:00:00Z', 'end_date'],
    ['a start_date after the end_date', `start_date=${w3(Date.now())}&end_date=${w3(Date.now() - DAY)}`, 'start_date'],
    ['a range of more than 90 days', `start_date=${w3(Date.now() - 120 * DAY)}&end_date=${w3(Date.now())}`, '90 days'],
    ['an unknown status', 'status=pending', 'status'],
  ];
  for (const fmt of FORMATS)
    it.each(bad)(`answers 400 for %s (${fmt})`, async (_what, query, mentions) => {
      const r = await read(`/open311/v2/requests.${fmt}?${query}`);
      expect(r.status).toBe(400);
      const [error, ...more] = items(fmt, r.body, 'errors', 'error');
      expect(more).toEqual([]);
      expect(String(error.code)).toBe('400');
      expect(error.description).toContain(mentions);
    });
});

describe('no personal data in public answers', () => {
  const person = { first_name: 'Айгерим', last_name: 'Жаксылыкова', email: 'aigerim.zh@example.kz', phone: '+7 701 123 45 67' };
  const secrets = [
    'Айгерим',
    'Жаксылыкова',
    'aigerim.zh@example.kz',
    '701 123 45 67',
    '7011234567',
    '765-43-21',
    'dauren@mail.kz',
    'кв. 45',
    'кв 45',
  ];
  let id: string;
  let token: string;
  beforeAll(async () => {
    const r = await postForm(
      'json',
      new URLSearchParams({
        api_key: OPEN311_KEY,
        service_code: 'HEAT',
        address_string: 'улица Кенесары 40, кв. 45',
        description: 'Нет отопления в кв. 45, звоните 8 701 765-43-21 или пишите dauren@mail.kz',
        account_id: 'acc-778',
        device_id: 'device-9',
        ...person,
      }),
    );
    [{ service_request_id: id, token }] = r.body;
  });

  it('masks contacts and flat numbers and never shows the sender, in every GET answer and format', async () => {
    // Wait for the acknowledgement, which becomes status_notes and carries the ticket number.
    await vi.waitFor(async () => expect((await read(`/open311/v2/requests/${id}.json`)).body[0].status_notes).toBeTruthy(), { timeout: 10_000 });
    for (const fmt of FORMATS)
      for (const path of [`requests.${fmt}`, `requests.${fmt}?service_request_id=${id}`, `requests/${id}.${fmt}`, `tokens/${token}.${fmt}`]) {
        const r = await read(`/open311/v2/${path}`);
        expect(r.status).toBe(200);
        for (const s of secrets) expect(r.text, `${path} shows ${s}`).not.toContain(s);
        expect(r.text).not.toMatch(/acc-778|device-9|["<](first_name|last_name|email|phone|account_id|device_id)["> ]/);
      }
    const [one] = (await read(`/open311/v2/requests/${id}.json`)).body;
    expect(one.description).toBe('Нет отопления в кв [*], звоните [phone] или пишите [email]');
    // Street and house from the gazetteer; the flat never leaves the building.
    expect(one.address).toBe('Кенесары, 40');
    expect(one.status_notes).toContain(id);
  });
});

describe('a third-party GeoReport v2 client', () => {
  it.each(FORMATS)('walks discovery → services → definition → POST → token → request (%s)', async (fmt) => {
    const mime = fmt === 'json' ? 'application/json' : 'text/xml';
    const discovery = (await read(`/open311/discovery.${fmt}`)).body;
    const endpoints = fmt === 'json' ? discovery.endpoints : discovery.discovery.endpoints.endpoint;
    const endpoint = endpoints.find(
      (e: Doc) => e.specification === 'http://wiki.open311.org/GeoReport_v2' && (fmt === 'json' ? e.formats : e.formats.format).includes(mime),
    );
    const base: string = endpoint.url;

    const services = items(fmt, (await read(`${base}services.${fmt}`)).body, 'services', 'service');
    const service = services.find((s) => s.service_code === 'WATR');
    const form = new URLSearchParams({ api_key: OPEN311_KEY, service_code: service.service_code, lat: '51.1694', long: '71.4491' });
    form.set('description', 'No cold water in the building since morning');
    if (String(service.metadata) === 'true') {
      const def = (await read(`${base}services/${service.service_code}.${fmt}`)).body;
      const attributes = fmt === 'json' ? def.attributes : def.service_definition.attributes.attribute;
      for (const a of [...attributes].sort((x, y) => Number(x.order) - Number(y.order))) {
        if (String(a.variable) !== 'true') continue;
        const values = fmt === 'json' ? a.values : a.values.value;
        const no = values.find((v: Doc) => v.key === 'no') ?? values[0];
        if (a.datatype === 'singlevaluelist') form.set(`attribute[${a.code}]`, String(no.key));
        else if (a.datatype === 'multivaluelist') form.append(`attribute[${a.code}][]`, String(no.key));
        else if (String(a.required) === 'true') form.set(`attribute[${a.code}]`, 'n/a');
      }
    }

    const posted = await postForm(fmt, form, base);
    expect(posted.status).toBe(201);
    const [created] = items(fmt, posted.body, 'service_requests', 'request');
    let id: string | undefined = created.service_request_id || undefined;
    if (created.token) {
      const [resolved] = items(fmt, (await read(`${base}tokens/${created.token}.${fmt}`)).body, 'service_requests', 'request');
      expect(resolved.token).toBe(created.token);
      id ??= resolved.service_request_id;
      expect(resolved.service_request_id).toBe(id);
    }
    expect(id).toMatch(/^AST-\d{4}-\d{6}$/);

    const [request] = items(fmt, (await read(`${base}requests/${id}.${fmt}`)).body, 'service_requests', 'request');
    expect(request).toMatchObject({ service_request_id: id, status: 'open', service_code: 'WATR', service_name: service.service_name });
    expect(request.description).toBe('No cold water in the building since morning');
    expect(request.agency_responsible).toMatch(/\S/);
    expect(Date.parse(request.expected_datetime)).toBeGreaterThan(Date.parse(request.requested_datetime));
    expect([Number(request.lat), Number(request.long)]).toEqual([51.1694, 71.4491]);
    expect(await ids(fmt, `service_request_id=${id}`)).toEqual([id]);
  });
});

describe('the 1000-request limit', () => {
  it.each(FORMATS)('returns at most 1000 requests, the newest (%s)', async (fmt) => {
    if (fmt === 'json')
      await sql`
        WITH m AS (
          INSERT INTO messages (channel, external_id, direction, text, stage)
          SELECT 'web', 'bulk-' || g, 'in', 'bulk', 'done' FROM generate_series(1, 1005) g RETURNING id, external_id
        )
        INSERT INTO tickets (number, status, category, urgency, language, channel, source_message_id, routing_trace, created_at)
        SELECT 'AST-2020-' || lpad(substr(external_id, 6), 6, '0'), 'new', 'ROAD', 'normal', 'ru', 'web', id, '{}'::jsonb,
               now() - interval '1 day'
        FROM m`.execute(c.ctx.db);
    const got = await ids(fmt);
    expect(got).toHaveLength(1000);
    const firstBulk = got.findIndex((n) => n.startsWith('AST-2020-'));
    expect(got.slice(0, firstBulk)).toEqual(expect.arrayContaining([closed, heat, road, water]));
    expect(got).not.toContain(old);
  });
});
