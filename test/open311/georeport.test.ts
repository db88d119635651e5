// Open311 GeoReport v2 over real HTTP, in JSON and XML: discovery, services, service definitions, POST with its
// errors, one request, tokens, jurisdiction and format. Element names follow the spec (wiki.open311.org/GeoReport_v2).
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN311_KEY, startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
beforeAll(async () => {
  c = await startTestCentre({}, { demo: false });
});
afterAll(() => c?.close());

// biome-ignore lint/suspicious/noExplicitAny: a decoded JSON or XML answer, which the assertions check field by field
type Doc = any;
type Fmt = 'json' | 'xml';
const FORMATS: Fmt[] = ['json', 'xml'];
const LISTS = new Set(['service', 'request', 'error', 'endpoint', 'attribute', 'value', 'format']);
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.has(name) });
const W3 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

async function decode(r: Response) {
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  if (type.startsWith('text/xml')) {
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const { '?xml': _decl, ...doc } = xml.parse(text);
    return { status: r.status, type, text, body: doc as Doc };
  }
  return { status: r.status, type, text, body: JSON.parse(text) };
}
const get = async (path: string) => decode(await fetch(c.url + path));
const post = async (fmt: string, fields: Record<string, string>) =>
  decode(
    await fetch(`${c.url}/open311/v2/requests.${fmt}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(fields),
    }),
  );
/** The list a GeoReport answer carries, whatever the format: JSON is the list, XML wraps it in root/item. */
const items = (fmt: Fmt, body: Doc, root: string, item: string): Doc[] => (fmt === 'json' ? body : (body[root]?.[item] ?? []));
const stored = async () =>
  Number(
    (
      await c.ctx.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('channel', '=', 'open311')
        .where('direction', '=', 'in')
        .executeTakeFirstOrThrow()
    ).n,
  );
const ticket = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const here = { api_key: OPEN311_KEY, lat: '51.128', long: '71.430' };

function expectError(fmt: Fmt, r: Awaited<ReturnType<typeof decode>>, status: number, mentions?: string) {
  expect(r.status).toBe(status);
  const errors = items(fmt, r.body, 'errors', 'error');
  if (fmt === 'xml') expect(Object.keys(r.body)).toEqual(['errors']);
  expect(errors).toHaveLength(1);
  expect(Object.keys(errors[0]).sort()).toEqual(['code', 'description']);
  expect(String(errors[0].code)).toBe(String(status));
  expect(errors[0].description).toMatch(/\S/);
  if (mentions) expect(errors[0].description).toContain(mentions);
}

describe('service discovery', () => {
  it.each(FORMATS)('lists the GeoReport v2 endpoint and its formats (%s)', async (fmt) => {
    const r = await get(`/open311/discovery.${fmt}`);
    expect(r.status).toBe(200);
    expect(r.type).toBe(fmt === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8');
    const doc = fmt === 'json' ? r.body : r.body.discovery;
    expect(doc.changeset).toMatch(W3);
    expect(doc.contact).toMatch(/\S/);
    expect(doc.key_service).toMatch(/\S/);
    const [ep] = fmt === 'json' ? doc.endpoints : doc.endpoints.endpoint;
    expect(ep.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(ep.url).toMatch(/\/open311\/v2\/$/);
    expect(ep.type).toBe('production');
    expect(ep.changeset).toMatch(W3);
    expect(fmt === 'json' ? ep.formats : ep.formats.format).toEqual(expect.arrayContaining(['text/xml', 'application/json']));
    expect((await fetch(`${ep.url}services.${fmt}`)).status).toBe(200);
  });
});

describe('GET services', () => {
  it.each(FORMATS)('lists every city category with the standard fields (%s)', async (fmt) => {
    const r = await get(`/open311/v2/services.${fmt}`);
    expect(r.status).toBe(200);
    if (fmt === 'xml') expect(Object.keys(r.body)).toEqual(['services']);
    const list = items(fmt, r.body, 'services', 'service');
    expect(list.map((s) => s.service_code)).toEqual(c.ctx.city.categories.map((x) => x.code));
    expect(list.map((s) => s.service_code)).toEqual(expect.arrayContaining(['WATR', 'ROAD', 'HEAT']));
    const lang = c.ctx.city.city.default_language;
    for (const s of list) {
      expect(Object.keys(s).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
      const cat = c.ctx.city.categories.find((x) => x.code === s.service_code);
      expect(s.service_name).toBe(cat?.name[lang]);
      expect(s.group).toBe(cat?.group);
      expect(String(s.metadata)).toMatch(/^(true|false)$/);
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
      expect(typeof s.keywords).toBe('string');
    }
  });

  it.each(FORMATS)('accepts its own jurisdiction_id and refuses another with 404 (%s)', async (fmt) => {
    expect((await get(`/open311/v2/services.${fmt}?jurisdiction_id=astana`)).status).toBe(200);
    expectError(fmt, await get(`/open311/v2/services.${fmt}?jurisdiction_id=almaty.kz`), 404, 'jurisdiction_id');
  });
});

describe('GET service definition', () => {
  it.each(FORMATS)('describes the attributes of a service (%s)', async (fmt) => {
    const r = await get(`/open311/v2/services/WATR.${fmt}`);
    expect(r.status).toBe(200);
    if (fmt === 'xml') expect(Object.keys(r.body)).toEqual(['service_definition']);
    const def = fmt === 'json' ? r.body : r.body.service_definition;
    expect(def.service_code).toBe('WATR');
    const attrs: Doc[] = fmt === 'json' ? def.attributes : def.attributes.attribute;
    expect(attrs.length).toBeGreaterThan(0);
    for (const a of attrs) {
      expect(Object.keys(a).sort()).toEqual(
        ['code', 'datatype', 'datatype_description', 'description', 'order', 'required', 'values', 'variable'].sort(),
      );
      expect(String(a.variable)).toMatch(/^(true|false)$/);
      expect(String(a.required)).toMatch(/^(true|false)$/);
      expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(a.datatype);
      expect(Number(a.order)).toBeGreaterThan(0);
    }
    expect(new Set(attrs.map((a) => Number(a.order))).size).toBe(attrs.length);
    const danger = attrs.find((a) => a.code === 'danger');
    const values: Doc[] = fmt === 'json' ? danger.values : danger.values.value;
    expect(values.map((v) => Object.keys(v).sort())).toEqual([
      ['key', 'name'],
      ['key', 'name'],
    ]);
    expect(values.map((v) => v.key)).toEqual(['yes', 'no']);
  });

  it.each(FORMATS)('answers 404 for an unknown service_code (%s)', async (fmt) => {
    expectError(fmt, await get(`/open311/v2/services/NOPE.${fmt}`), 404, 'NOPE');
  });
});

describe('POST service request', () => {
  it.each(FORMATS)('files a request at lat/long and answers with its number, a token and a notice (%s)', async (fmt) => {
    const r = await post(fmt, { ...here, service_code: 'WATR', description: 'Нет холодной воды с утра' });
    expect(r.status).toBe(201);
    if (fmt === 'xml') expect(Object.keys(r.body)).toEqual(['service_requests']);
    const [created] = items(fmt, r.body, 'service_requests', 'request');
    expect(created.service_request_id).toMatch(/^AST-\d{4}-\d{6}$/);
    expect(created.token).toMatch(/\S/);
    expect(created.service_notice).toContain(created.service_request_id);
    const t = await ticket(created.service_request_id);
    expect(t).toMatchObject({ category: 'WATR', channel: 'open311', lat: 51.128, lon: 71.43 });
  });

  it.each(FORMATS)('files a request with address_string only (%s)', async (fmt) => {
    const r = await post(fmt, { api_key: OPEN311_KEY, service_code: 'ROAD', address_string: 'проспект Кабанбай батыра 11' });
    expect(r.status).toBe(201);
    const [created] = items(fmt, r.body, 'service_requests', 'request');
    const t = await ticket(created.service_request_id);
    expect(t.category).toBe('ROAD');
    // The gazetteer's current name and the house: how staff and the public read the place.
    expect(t.address).toBe('Қабанбай батыр, 11');
  });

  it('makes the ticket critical when attribute[danger]=yes, and not when it is no', async () => {
    const text = 'Яма на дороге у остановки';
    const yes = await post('json', { ...here, service_code: 'ROAD', 'attribute[danger]': 'yes', description: text });
    const no = await post('json', { ...here, service_code: 'ROAD', 'attribute[danger]': 'no', description: text });
    expect((await ticket(yes.body[0].service_request_id)).urgency).toBe('critical');
    expect((await ticket(no.body[0].service_request_id)).urgency).not.toBe('critical');
  });

  it('keeps multivaluelist answers and treats empty optional fields as not sent, never storing the api_key', async () => {
    const form = new URLSearchParams({ ...here, service_code: 'HEAT', email: '', media_url: '', address_string: '' });
    form.append('attribute[rooms][]', 'kitchen');
    form.append('attribute[rooms][]', 'bedroom');
    const res = await fetch(`${c.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(res.status).toBe(201);
    const [created] = await res.json();
    const m = await c.ctx.db.selectFrom('messages').select(['raw']).where('external_id', '=', created.token).executeTakeFirstOrThrow();
    expect((m.raw as Doc).attribute).toEqual({ rooms: ['kitchen', 'bedroom'] });
    expect(JSON.stringify(m.raw)).not.toContain(OPEN311_KEY);
  });

  const bad: [string, Record<string, string>, number, string][] = [
    ['no api_key', { service_code: 'WATR', lat: '51.1', long: '71.4' }, 403, 'api_key'],
    ['a wrong api_key', { ...here, api_key: 'not-the-key', service_code: 'WATR' }, 403, 'api_key'],
    ['no service_code', { ...here }, 400, 'service_code'],
    ['an unknown service_code', { ...here, service_code: 'NOPE' }, 404, 'service_code'],
    ['no location', { api_key: OPEN311_KEY, service_code: 'WATR' }, 400, 'location'],
    ['lat without long', { api_key: OPEN311_KEY, service_code: 'WATR', lat: '51.1' }, 400, 'long'],
    ['lat out of range', { ...here, service_code: 'WATR', lat: '91' }, 400, 'lat'],
    ['long out of range', { ...here, service_code: 'WATR', long: '-181' }, 400, 'long'],
    ['lat that is not a number', { ...here, service_code: 'WATR', lat: '51,1' }, 400, 'lat'],
    ['a malformed email', { ...here, service_code: 'WATR', email: 'not-an-email' }, 400, 'email'],
    ['another jurisdiction_id', { ...here, service_code: 'WATR', jurisdiction_id: 'almaty.kz' }, 404, 'jurisdiction_id'],
  ];
  for (const fmt of FORMATS)
    it.each(bad)(`refuses a request with %s and stores nothing (${fmt})`, async (_what, fields, status, mentions) => {
      const before = await stored();
      expectError(fmt, await post(fmt, fields), status, mentions);
      expect(await stored()).toBe(before);
    });
});

describe('GET service request and tokens', () => {
  let created: { service_request_id: string; token: string };
  beforeAll(async () => {
    created = (await post('json', { ...here, service_code: 'WATR', description: 'Слабый напор воды в доме' })).body[0];
  });

  it.each(FORMATS)('answers one request with every standard field (%s)', async (fmt) => {
    const r = await get(`/open311/v2/requests/${created.service_request_id}.${fmt}`);
    expect(r.status).toBe(200);
    if (fmt === 'xml') expect(Object.keys(r.body)).toEqual(['service_requests']);
    const list = items(fmt, r.body, 'service_requests', 'request');
    expect(list).toHaveLength(1);
    const one = list[0];
    expect(Object.keys(one).sort()).toEqual([...REQUEST_FIELDS].sort());
    const t = await ticket(created.service_request_id);
    const lang = c.ctx.city.city.default_language;
    expect(one).toMatchObject({ service_request_id: t.number, status: 'open', service_code: 'WATR' });
    expect(one.description).toBe('Слабый напор воды в доме');
    expect(one.agency_responsible).toBe(c.ctx.city.organisations.find((o) => o.id === t.organisation_id)?.name[lang]);
    for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(one[k]).toMatch(W3);
    expect(Date.parse(one.expected_datetime)).toBe(Math.floor((t.resolution_due as Date).getTime() / 1000) * 1000);
    expect(Number(one.lat)).toBe(51.128);
    expect(Number(one.long)).toBe(71.43);
  });

  it.each(FORMATS)('answers 404 for an unknown service_request_id (%s)', async (fmt) => {
    expectError(fmt, await get(`/open311/v2/requests/AST-1999-000001.${fmt}`), 404, 'AST-1999-000001');
  });

  it.each(FORMATS)('resolves a token to its service_request_id (%s)', async (fmt) => {
    const r = await get(`/open311/v2/tokens/${created.token}.${fmt}`);
    expect(r.status).toBe(200);
    expect(items(fmt, r.body, 'service_requests', 'request')).toEqual(
      [created].map(({ service_request_id, token }) => ({ service_request_id, token })),
    );
  });

  it.each(FORMATS)('answers 404 for an unknown token and for another jurisdiction (%s)', async (fmt) => {
    expectError(fmt, await get(`/open311/v2/tokens/00000000-0000-0000-0000-000000000000.${fmt}`), 404, 'token');
    expectError(fmt, await get(`/open311/v2/tokens/${created.token}.${fmt}?jurisdiction_id=almaty.kz`), 404, 'jurisdiction_id');
    expectError(fmt, await get(`/open311/v2/requests/${created.service_request_id}.${fmt}?jurisdiction_id=almaty.kz`), 404, 'jurisdiction_id');
    expectError(fmt, await get(`/open311/v2/services/WATR.${fmt}?jurisdiction_id=almaty.kz`), 404, 'jurisdiction_id');
    expectError(fmt, await get(`/open311/v2/requests.${fmt}?jurisdiction_id=almaty.kz`), 404, 'jurisdiction_id');
  });

  it('answers 404 for a format other than json or xml, on every endpoint', async () => {
    const before = await stored();
    for (const path of [
      '/open311/discovery.csv',
      '/open311/v2/services.csv',
      '/open311/v2/services/WATR.csv',
      '/open311/v2/requests.csv',
      `/open311/v2/requests/${created.service_request_id}.csv`,
      `/open311/v2/tokens/${created.token}.csv`,
    ])
      expectError('json', await get(path), 404, 'format');
    expectError('json', await post('csv', { ...here, service_code: 'WATR' }), 404, 'format');
    expect(await stored()).toBe(before);
    expectError('xml', await get('/open311/v2/nothing.xml'), 404, 'endpoint');
    expectError('json', await get('/open311/v2/requests/a/b.json'), 404, 'endpoint');
  });
});
