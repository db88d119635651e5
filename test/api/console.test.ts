// The operator console's API over real HTTP: the inbox's filters and counts, full-text search in Russian and Kazakh
// (ё, Kazakh typed in Latin or without its letters), the attention filters, a reply with a template in Kazakh, a
// corrected place, and the live event stream (another user's change, the executor's scope, resuming).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationSweep } from '../../src/sla/escalation.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';
import { readEvents as readSse } from '../sse.js';

let c: TestCentre;
let operator: string;
let supervisor: string;
let executorWater: string;
const filed = { snow: '', light: '', gas: '' };

async function file(token: string, text: string, extra: object = {}) {
  const r = await c.api('/api/v1/phone-appeals', { token, body: { text, ...extra } });
  expect(r.status).toBe(201);
  return r.body.number as string;
}
const list = async (query: string, token = operator) => {
  const r = await c.api(`/api/v1/tickets?${query}`, { token });
  expect(r.status).toBe(200);
  return r.body as { tickets: { number: string; language: string; urgency: string; overdue: boolean; at_risk: boolean }[]; total: number };
};
const numbers = (r: { tickets: { number: string }[] }) => r.tickets.map((t) => t.number);

beforeAll(async () => {
  c = await startTestCentre();
  operator = await c.login('operator1@qala.demo');
  supervisor = await c.login('supervisor@qala.demo');
  executorWater = await c.login('executor.water@qala.demo');
  filed.snow = await file(operator, 'Во дворе ещё не убрали снег, машины застревают, Кенесары 40');
  filed.light = await file(operator, 'Үйде жарық жоқ үш күннен бері, Сарыарқа 5 үй, көмектесіңіздер');
  filed.gas = await file(operator, 'Звонок: в подъезде сильный запах газа, Туран 55');
}, 120_000);
afterAll(() => c?.close());

describe('the inbox filters', () => {
  it('filters by language and urgency and counts what matches', async () => {
    const kk = await list('language=kk&limit=500');
    expect(numbers(kk)).toContain(filed.light);
    expect(numbers(kk)).not.toContain(filed.snow);
    expect(kk.tickets.every((t) => t.language === 'kk')).toBe(true);
    expect(kk.total).toBe(kk.tickets.length);
    const critical = await list('urgency=critical,high&limit=500');
    expect(numbers(critical)).toContain(filed.gas);
    expect(critical.tickets.every((t) => ['critical', 'high'].includes(t.urgency))).toBe(true);
  });

  it('pages with a total that does not depend on the page', async () => {
    const a = await list('limit=1&offset=0');
    const b = await list('limit=1&offset=1');
    expect(a.tickets).toHaveLength(1);
    expect(a.total).toBe(b.total);
    expect(a.tickets[0]?.number).not.toBe(b.tickets[0]?.number);
  });

  it('refuses a value outside a list', async () => {
    expect((await c.api('/api/v1/tickets?urgency=extreme', { token: operator })).status).toBe(400);
    expect((await c.api('/api/v1/incidents?status=lost', { token: operator })).status).toBe(400);
    expect((await c.api('/api/v1/incidents?status=new,assigned', { token: operator })).status).toBe(200);
  });
});

describe('full-text search over the messages', () => {
  it('finds Russian words with е for ё and by the start of a word', async () => {
    expect(numbers(await list(`q=${encodeURIComponent('еще снег')}`))).toEqual([filed.snow]);
    expect(numbers(await list(`q=${encodeURIComponent('застрев')}`))).toContain(filed.snow);
    expect(numbers(await list(`q=${encodeURIComponent('ЕЩЁ УБРАЛИ')}`))).toEqual([filed.snow]);
  });

  it('finds Kazakh typed without Kazakh letters and typed in Latin letters', async () => {
    expect(numbers(await list(`q=${encodeURIComponent('жарык жок')}`))).toContain(filed.light);
    expect(numbers(await list(`q=${encodeURIComponent('jaryq joq')}`))).toContain(filed.light);
    expect(numbers(await list(`q=${encodeURIComponent('жарық')}`))).not.toContain(filed.snow);
  });

  it('finds a ticket by its number, and treats query syntax as plain words', async () => {
    expect(numbers(await list(`q=${filed.gas}`))).toEqual([filed.gas]);
    const odd = await c.api(`/api/v1/tickets?q=${encodeURIComponent("газ:* & !(') |")}`, { token: operator });
    expect(odd.status).toBe(200);
    expect(numbers(odd.body)).toContain(filed.gas);
  });
});

describe('attention: overdue and at risk', () => {
  it('lists a ticket as overdue once the clock passes its deadline, and at risk when the sweep found it so', async () => {
    const t = (await c.api(`/api/v1/tickets/${filed.snow}`, { token: operator })).body;
    const due = new Date(
      (await c.ctx.db.selectFrom('tickets').select('resolution_due').where('number', '=', filed.snow).executeTakeFirstOrThrow())
        .resolution_due as Date,
    );
    expect(t.overdue).toBe(false);
    const near = new Date(due.getTime() - 30 * 60_000);
    await sweepOnce(c.ctx, [escalationSweep], near);
    c.ctx.now = () => near;
    const risky = await list('attention=at_risk&limit=500');
    expect(numbers(risky)).toContain(filed.snow);
    expect(risky.tickets.find((x) => x.number === filed.snow)?.at_risk).toBe(true);
    expect(numbers(await list('attention=overdue&limit=500'))).not.toContain(filed.snow);
    c.ctx.now = () => new Date(due.getTime() + 60_000);
    const late = await list('attention=overdue&limit=500');
    expect(numbers(late)).toContain(filed.snow);
    expect(numbers(await list('attention=at_risk&limit=500'))).not.toContain(filed.snow);
    c.ctx.now = () => new Date();
  });
});

describe('a reply to the resident', () => {
  it('sends a template in Kazakh to the resident’s channel through the outbox, audited', async () => {
    const web = await c.api('/api/v1/appeals', { body: { text: 'Аулада қоқыс үш күннен бері шығарылмайды, Сарыарқа 7' } });
    expect(web.status).toBe(201);
    const number = web.body.number as string;
    const templates = await c.api(`/api/v1/tickets/${number}/reply-templates`, { token: operator });
    expect(templates.body.language).toBe('kk');
    const chosen = templates.body.templates.find((t: { key: string }) => t.key === 'status.in_progress');
    expect(chosen.text).toContain(number);
    const r = await c.api(`/api/v1/tickets/${number}/reply`, { token: operator, body: { template: 'status.in_progress' } });
    expect(r.status).toBe(201);
    expect(r.body.text).toBe(chosen.text);
    const out = await c.ctx.db
      .selectFrom('outbox as o')
      .innerJoin('tickets as t', 't.id', 'o.ticket_id')
      .select(['o.channel', 'o.payload'])
      .where('t.number', '=', number)
      .execute();
    const sent = out.find((o) => (o.payload as { template?: string }).template === 'reply');
    expect(sent?.channel).toBe('web');
    expect(sent?.payload).toMatchObject({ language: 'kk', text: chosen.text, based_on: 'status.in_progress' });
    const card = await c.api(`/api/v1/tickets/${number}`, { token: operator });
    expect(card.body.history.map((h: { action: string }) => h.action)).toContain('ticket.reply');
    // Staff see who acted by name.
    const me = await c.ctx.db.selectFrom('users').select('name').where('email', '=', 'operator1@qala.demo').executeTakeFirstOrThrow();
    expect(card.body.history.find((h: { action: string }) => h.action === 'ticket.reply')).toMatchObject({ actor_type: 'user', actor_name: me.name });
    // The web channel's reply lands in the conversation once the relay delivered it.
    await waitFor('the reply in the conversation', async () => {
      const t = await c.api(`/api/v1/tickets/${number}`, { token: operator });
      return t.body.messages.some((m: { direction: string; text: string }) => m.direction === 'out' && m.text === chosen.text);
    });
  });

  it('sends an operator’s own words once per idempotency key, and refuses an executor of another organisation', async () => {
    const headers = { 'idempotency-key': 'console-reply-1' };
    const a = await c.api(`/api/v1/tickets/${filed.gas}/reply`, { token: operator, headers, body: { text: 'Аварийная бригада выехала.' } });
    const b = await c.api(`/api/v1/tickets/${filed.gas}/reply`, { token: operator, headers, body: { text: 'Аварийная бригада выехала.' } });
    expect([a.status, b.status]).toEqual([201, 201]);
    const rows = await c.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('idempotency_key', '=', `ticket:${filed.gas}:reply:console-reply-1`)
      .execute();
    expect(rows).toHaveLength(1);
    const gas = (await c.api(`/api/v1/tickets/${filed.gas}`, { token: operator })).body;
    if (gas.organisation?.id !== 'astana-su-arnasy') {
      const refused = await c.api(`/api/v1/tickets/${filed.gas}/reply`, { token: executorWater, body: { text: 'x' } });
      expect(refused.status).toBe(403);
    }
    expect((await c.api(`/api/v1/tickets/${filed.gas}/reply`, { token: operator, body: {} })).status).toBe(400);
  });
});

describe('corrections feed learning', () => {
  it('corrects the place: the ticket changes, the audit row says from what to what, labels keep district and address', async () => {
    const before = (await c.api(`/api/v1/tickets/${filed.light}`, { token: operator })).body;
    const district = c.ctx.city.city.districts.find((d) => d.id !== before.district?.id)?.id as string;
    const r = await c.api(`/api/v1/tickets/${filed.light}/corrections`, {
      token: operator,
      body: { district, address: 'проспект Сарыарқа, 5', point: { lat: 51.17, lon: 71.42 } },
    });
    expect(r.status).toBe(200);
    const after = (await c.api(`/api/v1/tickets/${filed.light}`, { token: operator })).body;
    expect(after.district.id).toBe(district);
    expect(after.address).toBe('проспект Сарыарқа, 5');
    expect(after.point).toEqual({ lat: 51.17, lon: 71.42 });
    const audit = after.history.find((h: { action: string }) => h.action === 'ticket.place_corrected');
    expect(audit.actor_type).toBe('user');
    expect(audit.data.district).toEqual({ from: before.district?.id ?? null, to: district });
    const labels = await c.ctx.db
      .selectFrom('labels as l')
      .innerJoin('tickets as t', 't.source_message_id', 'l.message_id')
      .select(['l.field', 'l.value'])
      .where('t.number', '=', filed.light)
      .execute();
    expect(labels).toEqual(
      expect.arrayContaining([
        { field: 'district', value: district },
        { field: 'address', value: 'проспект Сарыарқа, 5' },
      ]),
    );
  });

  it('corrects the organisation and the category through assign, with labels for both', async () => {
    const r = await c.api(`/api/v1/tickets/${filed.light}/corrections`, {
      token: operator,
      body: { organisation: 'astana-su-arnasy', category: 'WATR' },
    });
    expect(r.status).toBe(200);
    expect(r.body.organisation.id).toBe('astana-su-arnasy');
    const labels = await c.ctx.db
      .selectFrom('labels as l')
      .innerJoin('tickets as t', 't.source_message_id', 'l.message_id')
      .select(['l.field', 'l.value'])
      .where('t.number', '=', filed.light)
      .execute();
    expect(labels).toEqual(
      expect.arrayContaining([
        { field: 'organisation', value: 'astana-su-arnasy' },
        { field: 'category', value: 'WATR' },
      ]),
    );
    expect((await c.api(`/api/v1/tickets/${filed.light}/corrections`, { token: executorWater, body: { address: 'x y' } })).status).toBe(403);
    expect((await c.api(`/api/v1/tickets/${filed.light}/corrections`, { token: operator, body: { district: 'atlantis' } })).status).toBe(400);
  });
});

const readEvents = (token: string, until: (events: Ev[]) => boolean, opts: Parameters<typeof readSse>[3] = {}) =>
  readSse<Ev>(c.url, token, until, opts);
type Ev = { id: number; type: string; number: string; action: string; status: string; organisation: string | null; [k: string]: unknown };

describe('live events', () => {
  it('delivers another user’s change, with no personal data', async () => {
    const number = await file(operator, 'Нет горячей воды второй день, Абая 10', { contact: { name: 'Алия Тестова', phone: '+7 701 555 44 33' } });
    const events = await readEvents(operator, (es) => es.some((e) => e.number === number && e.action === 'ticket.assign'), {
      started: async () => {
        const r = await c.api(`/api/v1/tickets/${number}/actions`, {
          token: supervisor,
          body: { action: 'assign', organisation: 'astana-su-arnasy' },
        });
        expect(r.status).toBe(200);
      },
    });
    const e = events.find((x) => x.number === number && x.action === 'ticket.assign') as Ev;
    expect(e).toMatchObject({ type: 'ticket', status: 'assigned', organisation: 'astana-su-arnasy' });
    expect(JSON.stringify(events)).not.toMatch(/Алия|555 44 33/);
  });

  it('gives an executor only their organisations’ tickets, and resumes after Last-Event-ID', async () => {
    const mine = await file(operator, 'Прорыв трубы холодной воды во дворе, Абая 12');
    const other = await file(operator, 'Не горит фонарь у остановки, Абая 14');
    const last = await c.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirstOrThrow();
    await c.api(`/api/v1/tickets/${other}/actions`, { token: operator, body: { action: 'assign', organisation: 'akimat-esil' } });
    await c.api(`/api/v1/tickets/${mine}/actions`, { token: operator, body: { action: 'assign', organisation: 'astana-su-arnasy' } });
    // Both changes happened before the stream opened: Last-Event-ID brings them back, in the executor's scope only.
    const events = await readEvents(executorWater, (es) => es.some((e) => e.number === mine && e.action === 'ticket.assign'), {
      lastEventId: String(last.max),
    });
    expect(events.some((e) => e.number === mine)).toBe(true);
    expect(events.some((e) => e.number === other)).toBe(false);
    expect(events.every((e) => e.type !== 'ticket' || e.organisation === 'astana-su-arnasy')).toBe(true);
    expect(events.every((e) => e.id > Number(last.max))).toBe(true);
    const ops = await readEvents(operator, (es) => es.some((e) => e.number === other), { lastEventId: String(last.max) });
    expect(ops.some((e) => e.number === other)).toBe(true);
  });

  it('refuses a stream without a session', async () => {
    expect((await c.api('/api/v1/events')).status).toBe(401);
  });
});
