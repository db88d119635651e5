// Open data over real HTTP: reports as JSON, CSV and GeoJSON, the summary, their filters, and proof that nothing a
// resident wrote or gave about themselves (name, phone, e-mail, handle, flat, exact point) reaches any of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coarsen } from '../../src/analytics/public.js';
import { CSV_COLUMNS, toCsv } from '../../src/api/routes/public.js';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
let since: string;
const filed: Record<string, string> = {};

/** Strings a resident gave that must never leave the building through open data. */
const PERSONAL = [
  'Жанар Абдыкаримова',
  'Абдыкаримова',
  '+7 701 555 44 33',
  '7015554433',
  '555 44 33',
  'zhanar.test@example.kz',
  '@zhanar_a',
  'zhanar_a',
  'кв. 12',
  'кв.12',
  'Сарыарқа 17',
  '51.128431',
  '71.430917',
  'Мурат Сейтжанов',
  '+7 702 123 45 67',
  'murat@example.kz',
];
const EXACT = { lat: 51.128431, lon: 71.430917 };

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

beforeAll(async () => {
  c = await startTestCentre();
  since = new Date().toISOString();
  const appeals = [
    {
      key: 'water',
      body: {
        text: 'Меня зовут Жанар Абдыкаримова, кв. 12, телефон +7 701 555 44 33, почта zhanar.test@example.kz, телеграм @zhanar_a. Третий день нет горячей воды.',
        address: 'ул. Сарыарқа 17, кв.12',
        ...EXACT,
        contact: { name: 'Жанар Абдыкаримова', phone: '+7 701 555 44 33', email: 'zhanar.test@example.kz' },
      },
    },
    {
      key: 'light',
      body: {
        text: 'Не горит уличное освещение во дворе, пишите murat@example.kz или звоните +7 702 123 45 67, Мурат Сейтжанов',
        lat: 51.095,
        lon: 71.47,
        contact: { name: 'Мурат Сейтжанов', phone: '+7 702 123 45 67' },
      },
    },
    { key: 'road', body: { text: 'Огромная яма на дороге, колесо пробил, кв. 12 соседи тоже жалуются', address: 'пр. Туран 5, кв. 12' } },
  ];
  for (const a of appeals) {
    const r = await c.api('/api/v1/appeals', { body: a.body });
    expect(r.status).toBe(201);
    filed[a.key] = r.body.number;
  }
});
afterAll(() => c?.close());

const everyOutput = async (query = '') => {
  const q = `?from=${encodeURIComponent(since)}${query}`;
  return Promise.all(
    ['/api/v1/public/reports', '/api/v1/public/reports.csv', '/api/v1/public/reports.geojson', '/api/v1/public/summary'].map((p) =>
      c.api(p + q + (p.endsWith('summary') ? '' : '&limit=5000')),
    ),
  );
};

describe('open data carries no personal data', () => {
  it('leaves out names, phones, e-mails, handles, flat numbers, addresses and exact points in JSON, CSV, GeoJSON and the summary', async () => {
    for (const lang of ['ru', 'kk', 'en']) {
      const outputs = await everyOutput(`&lang=${lang}`);
      for (const o of outputs) {
        expect(o.status).toBe(200);
        for (const s of PERSONAL) expect(o.text, `${s} in ${o.headers.get('content-type')}`).not.toContain(s);
      }
      // Not vacuous: the appeals are there.
      for (const n of Object.values(filed)) expect(outputs[0]?.text).toContain(n);
    }
  });

  it('gives the centre of a grid cell near the reported point, never the point itself', async () => {
    const r = await c.api(`/api/v1/public/reports?from=${encodeURIComponent(since)}`);
    const water = r.body.reports.find((x: { number: string }) => x.number === filed.water);
    expect(water.lat).not.toBe(EXACT.lat);
    expect(water.lon).not.toBe(EXACT.lon);
    // Within one cell's half-diagonal (~106 m for 150 m cells), and the same for every point of that cell.
    const metres = Math.hypot((water.lat - EXACT.lat) * 111_320, (water.lon - EXACT.lon) * 111_320 * Math.cos((EXACT.lat * Math.PI) / 180));
    expect(metres).toBeLessThan(110);
    expect(coarsen(EXACT.lat + 0.0001, EXACT.lon - 0.0001)).toEqual({ lat: water.lat, lon: water.lon });
    const road = r.body.reports.find((x: { number: string }) => x.number === filed.road);
    expect([road.lat, road.lon]).toEqual([null, null]);
  });
});

describe('GET /api/v1/public/reports', () => {
  it('gives one record per ticket with category, district, status, dates, deadline and organisation, cacheable', async () => {
    const r = await c.api(`/api/v1/public/reports?from=${encodeURIComponent(since)}&lang=kk`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    expect(r.body.total).toBe(3);
    const water = r.body.reports.find((x: { number: string }) => x.number === filed.water);
    expect(Object.keys(water).sort()).toEqual([...CSV_COLUMNS].sort());
    expect(water.category).toBe('HOTW');
    expect(water.category_name).toBe('Ыстық сумен жабдықтау');
    expect(water.status).toBe('assigned');
    expect(water.created_at).toMatch(/\+05:00$/);
    expect(water.deadline).toMatch(/\+05:00$/);
    expect(water.deadline_met).toBeNull();
    expect(water.organisation).toBeTruthy();
    const light = r.body.reports.find((x: { number: string }) => x.number === filed.light);
    expect(light.district).toBe('esil');
    expect(light.district_name).toMatch(/[әғқңөұүһі]/i);
  });

  it('filters by district, category, status and dates, and refuses unknown values', async () => {
    const base = `/api/v1/public/reports?from=${encodeURIComponent(since)}`;
    const numbers = async (q: string) => (await c.api(base + q)).body.reports.map((x: { number: string }) => x.number);
    const all = (await c.api(base)).body.reports as { number: string; district: string | null }[];
    const inEsil = all.filter((x) => x.district === 'esil').map((x) => x.number);
    expect(inEsil).toContain(filed.light);
    expect(inEsil.length).toBeLessThan(all.length);
    expect(await numbers('&district=esil')).toEqual(inEsil);
    expect(await numbers('&category=HOTW')).toEqual([filed.water]);
    expect(await numbers('&category=HOTW,ROAD&status=assigned,new')).toContain(filed.water);
    expect(await numbers('&status=closed')).toEqual([]);
    expect((await c.api('/api/v1/public/reports?to=2000-01-01')).body.total).toBe(0);
    expect((await c.api(`${base}&district=atlantis`)).status).toBe(400);
    expect((await c.api(`${base}&status=lost`)).status).toBe(400);
    expect((await c.api('/api/v1/public/reports?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await c.api('/api/v1/public/reports?limit=999999')).status).toBe(400);
  });

  it('pages with a cap: limit, offset, the total and where the next page starts', async () => {
    const r = await c.api(`/api/v1/public/reports?from=${encodeURIComponent(since)}&limit=2`);
    expect(r.body.reports).toHaveLength(2);
    expect(r.body.next_offset).toBe(2);
    expect(r.headers.get('x-total-count')).toBe('3');
    const rest = await c.api(`/api/v1/public/reports?from=${encodeURIComponent(since)}&limit=2&offset=2`);
    expect(rest.body.reports).toHaveLength(1);
    expect(rest.body.next_offset).toBeNull();
  });

  it('marks a deadline met when resolved in time and missed when resolved after it', async () => {
    const token = await c.login('operator1@qala.demo');
    const resolve = (n: string | undefined) => c.api(`/api/v1/tickets/${n}/actions`, { token, body: { action: 'resolve', reason: 'Устранено' } });
    expect((await resolve(filed.water)).status).toBe(200);
    const due = (await c.api(`/api/v1/public/reports?from=${encodeURIComponent(since)}&category=ROAD`)).body.reports[0].deadline;
    const realNow = c.ctx.now;
    c.ctx.now = () => new Date(new Date(due).getTime() + 86_400_000);
    try {
      expect((await resolve(filed.road)).status).toBe(200);
    } finally {
      c.ctx.now = realNow;
    }
    const r = await c.api(`/api/v1/public/reports?from=${encodeURIComponent(since)}&status=resolved`);
    const met = Object.fromEntries(r.body.reports.map((x: { number: string; deadline_met: boolean }) => [x.number, x.deadline_met]));
    expect(met).toEqual({ [filed.water as string]: true, [filed.road as string]: false });
    const s = await c.api(`/api/v1/public/summary?from=${encodeURIComponent(since)}`);
    expect(s.body.totals).toMatchObject({ total: 3, resolved: 2, timed: 2, on_time: 1, on_time_share: 0.5 });
  });
});

describe('CSV and GeoJSON downloads', () => {
  it('sends CSV as UTF-8 with a BOM, an English header row and RFC 4180 quoting', async () => {
    const res = await fetch(`${c.url}/api/v1/public/reports.csv?from=${encodeURIComponent(since)}&lang=en`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="astana-reports\.csv"/);
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const light = rows.find((r) => r[0] === filed.light) as string[];
    expect(light[CSV_COLUMNS.indexOf('district_name')]).toBe('Esil district');
    // English organisation names such as "Esil District Akimat, Astana" hold a comma: quoted, read back whole.
    const org = c.ctx.city.organisations.find((o) => o.id === light[CSV_COLUMNS.indexOf('organisation')]);
    expect(light[CSV_COLUMNS.indexOf('organisation_name')]).toBe(org?.name.en);
    expect(text).toMatch(/\r\n$/);
    const kk = new TextDecoder().decode(new Uint8Array(await (await fetch(`${c.url}/api/v1/public/reports.csv?lang=kk`)).arrayBuffer()));
    expect(kk).toMatch(/[әғқңөұүһі]/i);
  });

  it('quotes commas, quotes and line breaks and leaves plain fields bare', () => {
    const csv = toCsv([
      {
        number: 'AST-1',
        category: 'ROAD',
        category_name: 'Roads, "pits"',
        district: null,
        district_name: 'line\r\nbreak',
        status: 'new',
        organisation: null,
        organisation_name: null,
        created_at: '2026-01-01T10:00:00+05:00',
        resolved_at: null,
        closed_at: null,
        deadline: null,
        deadline_met: false,
        lat: 51.1,
        lon: 71.4,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe('AST-1,ROAD,"Roads, ""pits""",,"line');
    expect(parseCsv(csv.slice(1))[1]?.[4]).toBe('line\r\nbreak');
    expect(csv).toContain(',new,,,2026-01-01T10:00:00+05:00,,,,false,51.1,71.4\r\n');
  });

  it('sends a valid GeoJSON FeatureCollection with [lon, lat] points and null geometry where no place was given', async () => {
    const r = await c.api(`/api/v1/public/reports.geojson?from=${encodeURIComponent(since)}`);
    expect(r.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(r.body.type).toBe('FeatureCollection');
    expect(r.body.features).toHaveLength(3);
    for (const f of r.body.features) {
      expect(f.type).toBe('Feature');
      expect(typeof f.properties.number).toBe('string');
      expect(f.properties).not.toHaveProperty('lat');
      if (f.geometry) {
        expect(f.geometry.type).toBe('Point');
        const [lon, lat] = f.geometry.coordinates;
        expect(lon).toBeGreaterThan(71);
        expect(lat).toBeGreaterThan(50);
      }
    }
    expect(r.body.features.find((f: { id: string }) => f.id === filed.road).geometry).toBeNull();
  });
});

describe('GET /api/v1/public/summary', () => {
  it('counts by district × category × status and lists every district, quiet ones too', async () => {
    const r = await c.api(`/api/v1/public/summary?from=${encodeURIComponent(since)}&lang=kk`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    expect(r.body.districts.filter((d: { id: string | null }) => d.id).map((d: { id: string }) => d.id)).toEqual(
      c.ctx.city.city.districts.map((d) => d.id),
    );
    const esil = r.body.districts.find((d: { id: string }) => d.id === 'esil');
    expect(esil.total).toBeGreaterThanOrEqual(1);
    // Cells of fewer than 5 residents are published withheld (count null, suppressed), never as a number.
    expect(r.body.groups.reduce((n: number, g: { count: number | null }) => n + (g.count ?? 0), 0)).toBeLessThanOrEqual(r.body.totals.total);
    expect(r.body.groups.find((g: { district: string }) => g.district === 'esil')).toMatchObject({ count: null, residents: null, suppressed: true });
    for (const g of r.body.groups) expect(g.suppressed ? g.count === null : g.residents >= 5).toBe(true);
    expect(r.body.categories.find((x: { code: string }) => x.code === 'HOTW').name).toBe('Ыстық сумен жабдықтау');
  });
});

describe('rate limit', () => {
  it('answers 429 once a client asks too often', async () => {
    const low = await startTestCentre({ PUBLIC_RATE_LIMIT: 2 }, { demo: false });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await low.api('/api/v1/public/summary')).status);
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await low.close();
    }
  });
});
