// The executor's work on a ticket over real HTTP, a real database and a fake Telegram Bot API on loopback: accept,
// internal comments and photos (never shown to the resident, the public or Open311), a question to the resident
// that stops the deadline clock until they answer in Telegram, resolving with a note and a proof photo, handing a
// ticket back to the centre's queue, another organisation's executor refused, and per-category reply templates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, messageUpdate, type Person } from '../../src/demo/fakes/telegram.js';
import { addWorkingMinutes } from '../../src/sla/calendar.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SECRET = 'executor-test-secret';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PROOF = { content_type: 'image/png', filename: 'after.png', data: PNG.toString('base64') };
/** Astana local time (UTC+5) as an instant. */
const astana = (local: string) => new Date(`${local}+05:00`);

let fake: FakeTelegram;
let c: TestCentre;
const tok: Record<string, string> = {};
let updateIds = 1;

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  c = await startTestCentre({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_URL: fake.url, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_POLLING: false });
  const logins = {
    admin: 'admin@qala.demo',
    operator: 'operator1@qala.demo',
    supervisor: 'supervisor@qala.demo',
    heat: 'executor.heat@qala.demo',
    water: 'executor.water@qala.demo',
    akim: 'akim@qala.demo',
  };
  for (const [k, email] of Object.entries(logins)) tok[k] = await c.login(email);
});
afterAll(async () => {
  await c?.close();
  await fake?.stop();
});

const act = (who: string, number: string, body: Record<string, unknown>) => c.api(`/api/v1/tickets/${number}/actions`, { token: tok[who], body });
const view = (who: string, number: string) => c.api(`/api/v1/tickets/${number}`, { token: tok[who] });
const row = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const outbox = async (number: string) => {
  const t = await row(number);
  return c.ctx.db.selectFrom('outbox').selectAll().where('ticket_id', '=', t.id).orderBy('id').execute();
};
const sentTemplate = async (number: string, template: string) =>
  waitFor(`a ${template} message for ${number}`, async () => (await outbox(number)).find((o) => o.payload.template === template));

/** A 109 call filed by the operator, then assigned to `organisation` with `category`. */
async function ticketFor(organisation: string, category: string, text: string): Promise<string> {
  const filed = await c.api('/api/v1/phone-appeals', { token: tok.operator, body: { text } });
  expect(filed.status, filed.text).toBe(201);
  const a = await act('operator', filed.body.number, { action: 'assign', organisation, category });
  expect(a.status, a.text).toBe(200);
  return filed.body.number;
}

describe('an executor works a ticket a resident sent by Telegram in Kazakh', () => {
  const p: Person = { id: 7001, first_name: 'Айгүл', language_code: 'kk' };
  let number = '';
  const hook = (u: unknown) => fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, SECRET);
  const chat = (pred: (s: string) => boolean) => waitFor('a message in the chat', async () => fake.sentTo(p.id).find((s) => pred(s.text)));

  it('accepts the ticket: in progress, accepted_at set, the resident told in Kazakh with the heating text', async () => {
    const u = { update_id: updateIds++, ...messageUpdate(fake, p, { text: 'Үйде үш күннен бері жылу жоқ, батареялар суық, Кенесары көшесі 40' }) };
    expect((await hook(u)).status).toBe(200);
    const t = await waitFor('the ticket', () =>
      c.ctx.db
        .selectFrom('tickets as t')
        .innerJoin('messages as m', 'm.id', 't.source_message_id')
        .selectAll('t')
        .where('m.external_id', '=', `${p.id}:${u.message.message_id}`)
        .executeTakeFirst(),
    );
    number = t.number;
    expect(t.language).toBe('kk');
    expect((await act('operator', number, { action: 'assign', organisation: 'astana-teplotranzit', category: 'HEAT' })).status).toBe(200);
    c.ctx.now = () => astana('2026-12-02T09:30:00');
    const r = await act('heat', number, { action: 'accept' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('in_progress');
    expect((await row(number)).accepted_at?.toISOString()).toBe(astana('2026-12-02T09:30:00').toISOString());
    const msg = await chat((s) => s.startsWith(`${number} өтініші бойынша жұмыс басталды`));
    expect(msg.text).toContain('жылумен жабдықталуын тексеруде');
    expect((await sentTemplate(number, 'status.in_progress')).payload).toMatchObject({ language: 'kk', variant: 'status.in_progress@HEAT' });
  });

  it('comments internally: the note is on the staff card, not in the resident’s status lookup or Open311', async () => {
    const secret = 'Подвал закрыт, ключ у председателя ОСИ';
    const r = await c.api(`/api/v1/tickets/${number}/notes`, { token: tok.heat, body: { text: secret } });
    expect(r.status, r.text).toBe(201);
    const card = await view('heat', number);
    expect(card.body.notes.map((n: { kind: string; text: string }) => [n.kind, n.text])).toContainEqual(['comment', secret]);
    expect(card.body.history.at(-1)).toMatchObject({ action: 'ticket.note', data: { kind: 'comment' } });
    const pub = await c.api(`/api/v1/appeals/${number}`);
    expect(pub.status).toBe(200);
    expect(pub.text).not.toContain('председателя');
    const o311 = await c.api(`/open311/v2/requests/${number}.json`);
    expect(o311.status).toBe(200);
    expect(o311.text).not.toContain('председателя');
    // An official reads the ticket (if addressed to them) but never the services' working papers.
    expect((await c.api(`/api/v1/tickets/${number}/notes`, { token: tok.akim, body: { text: 'x' } })).status).toBe(403);
  });

  it('asks a question: the ticket waits, the clock stops and the resident reads the question in Kazakh', async () => {
    c.ctx.now = () => astana('2026-12-02T10:00:00');
    expect((await act('heat', number, { action: 'ask' })).status).toBe(400);
    const r = await act('heat', number, { action: 'ask', question: 'Қай подъезд және неше қабат?' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('waiting');
    const t = await row(number);
    expect(t.paused_at?.toISOString()).toBe(astana('2026-12-02T10:00:00').toISOString());
    const q = await chat((s) => s.includes('Қай подъезд және неше қабат?'));
    expect(q.text).toContain(`${number} өтініші бойынша орындаушының`);
    expect(q.text).toContain('мерзімі тоқтатыла тұрады');
    const card = await view('heat', number);
    expect(card.body.paused_at).toBe('2026-12-02T10:00:00+05:00');
    expect(card.body.notes.at(-1)).toMatchObject({ kind: 'question', text: 'Қай подъезд және неше қабат?' });
  });

  it('resumes when the resident answers in Telegram, the deadline later by the working minutes it waited', async () => {
    const before = await row(number);
    const qMsg = fake.sentTo(p.id).find((s) => s.text.includes('Қай подъезд'));
    // The bot records its question with Telegram's id only once the platform accepted it: the reply must find it.
    await waitFor('the question in the conversation', async () =>
      (await c.ctx.db.selectFrom('messages').select('raw').where('direction', '=', 'out').where('channel', '=', 'telegram').execute()).some(
        (m) => m.raw.platform_id === String(qMsg?.message_id),
      ),
    );
    // Answered 2 h 30 min of working time later, the same day.
    c.ctx.now = () => astana('2026-12-02T12:30:00');
    const answer = {
      update_id: updateIds++,
      ...messageUpdate(fake, p, {
        text: '3-подъезд, 5-қабат, 52-пәтер',
        reply_to_message: {
          message_id: qMsg?.message_id,
          date: 1,
          chat: { id: p.id, type: 'private' },
          from: { id: 1, is_bot: true, first_name: 'Qala' },
          text: qMsg?.text,
        },
      }),
    };
    expect((await hook(answer)).status).toBe(200);
    const after = await waitFor('the ticket to resume', async () => {
      const t = await row(number);
      return t.status === 'in_progress' && t;
    });
    expect(after.paused_at).toBeNull();
    expect(after.paused_minutes).toBe(150);
    expect(after.resolution_due?.toISOString()).toBe(addWorkingMinutes(c.ctx.city.calendar, before.resolution_due as Date, 150).due.toISOString());
    expect((after.resolution_due as Date).getTime()).toBeGreaterThanOrEqual((before.resolution_due as Date).getTime() + 150 * 60_000);
    // Accepted before the question: the first response is done and its deadline stays.
    expect(after.first_response_due?.toISOString()).toBe(before.first_response_due?.toISOString());
    const card = await view('heat', number);
    const resume = card.body.history.find((h: { action: string }) => h.action === 'ticket.resume');
    expect(resume).toMatchObject({ actor_type: 'resident', data: { by: 'resident', paused_minutes: 150 } });
    expect(card.body.messages.some((m: { text: string }) => m.text === '3-подъезд, 5-қабат, 52-пәтер')).toBe(true);
    await chat((s) => s.startsWith('Жауабыңызға рақмет!') && s.includes(number));
  });

  it('attaches a photo from the site as multipart; the file is served only to those who may read the notes', async () => {
    const form = new FormData();
    form.append('text', 'Задвижка на вводе закрыта');
    form.append('photos', new Blob([PNG], { type: 'image/png' }), 'valve.png');
    const res = await fetch(`${c.url}/api/v1/tickets/${number}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok.heat}` },
      body: form,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const note = (await view('heat', number)).body.notes.find((n: { kind: string }) => n.kind === 'photo');
    expect(note.files).toHaveLength(1);
    const url = note.files[0].url as string;
    const file = await fetch(c.url + url, { headers: { authorization: `Bearer ${tok.heat}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(c.url + url, { headers: { authorization: `Bearer ${tok.water}` } })).status).toBe(403);
    expect((await fetch(c.url + url)).status).toBe(401);
    // Something that only says it is an image is refused.
    const fakeImage = { content_type: 'image/png', data: Buffer.from('<html><script>alert(1)</script></html>').toString('base64') };
    expect((await c.api(`/api/v1/tickets/${number}/notes`, { token: tok.heat, body: { photos: [fakeImage] } })).status).toBe(400);
  });

  it('resolves with a note and a proof photo (refused without them) and the resident reads the note in Kazakh', async () => {
    c.ctx.now = () => astana('2026-12-02T15:00:00');
    const noNote = await act('heat', number, { action: 'resolve', proof: [PROOF] });
    expect(noNote.status).toBe(400);
    const noProof = await act('heat', number, { action: 'resolve', note: 'Задвижка открыта, отопление подано' });
    expect(noProof.status).toBe(400);
    expect(noProof.body.error.message).toMatch(/proof/);
    expect((await row(number)).status).toBe('in_progress');
    const r = await act('heat', number, { action: 'resolve', note: 'Задвижка открыта, отопление подано', proof: [PROOF] });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('resolved');
    const msg = await chat((s) => s.startsWith(`${number} өтініші орындалды деп белгіленді: жылумен жабдықтау қалпына келтірілді`));
    expect(msg.text).toContain('«Задвижка открыта, отопление подано»');
    const proof = (await view('heat', number)).body.notes.find((n: { kind: string }) => n.kind === 'proof');
    expect(proof).toMatchObject({ text: 'Задвижка открыта, отопление подано' });
    expect(proof.files).toHaveLength(1);
  });
});

describe('another organisation and the centre', () => {
  it('refuses an executor of another organisation every action on the ticket (403) and changes nothing', async () => {
    const number = await ticketFor('astana-teplotranzit', 'HEAT', 'Не греют батареи в подъезде, улица Сарайшык 7');
    const before = await row(number);
    for (const body of [
      { action: 'accept' },
      { action: 'ask', question: 'Какой подъезд?' },
      { action: 'hand_back', reason: 'не наше' },
      { action: 'resolve', note: 'Сделано', proof: [PROOF] },
    ]) {
      const r = await act('water', number, body);
      expect(r.status, `${body.action}: ${r.text}`).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect((await c.api(`/api/v1/tickets/${number}/notes`, { token: tok.water, body: { text: 'чужой комментарий' } })).status).toBe(403);
    expect((await c.api(`/api/v1/tickets/${number}/notes`, { token: tok.water, body: { photos: [PROOF] } })).status).toBe(403);
    expect((await view('water', number)).status).toBe(403);
    // Asked and waiting: resuming it is refused to the stranger too.
    expect((await act('heat', number, { action: 'ask', question: 'Какой подъезд?' })).status).toBe(200);
    expect((await act('water', number, { action: 'resume' })).status).toBe(403);
    const after = await row(number);
    expect(after.organisation_id).toBe(before.organisation_id);
    expect((await view('admin', number)).body.notes.filter((n: { text: string }) => n.text === 'чужой комментарий')).toEqual([]);
  });

  it('hands a ticket back to the centre’s queue with the reason audited; the resident hears it is re-routed; an operator reassigns it', async () => {
    const number = await ticketFor('astana-su-arnasy', 'WATR', 'Нет холодной воды в доме на Абая 10');
    expect((await act('water', number, { action: 'hand_back' })).status).toBe(400);
    const r = await act('water', number, { action: 'hand_back', reason: 'Внутридомовые сети — это ОСИ, не водоканал' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ status: 'new', organisation: { id: c.ctx.city.city.fallback_organisation } });
    const t = await row(number);
    expect(t.handback_count).toBe(1);
    expect(t.accepted_at).toBeNull();
    const card = await view('operator', number);
    const audit = card.body.history.find((h: { action: string }) => h.action === 'ticket.hand_back');
    expect(audit.data).toMatchObject({ reason: 'Внутридомовые сети — это ОСИ, не водоканал', handed_back_by: 'astana-su-arnasy', to: 'new' });
    expect(card.body.notes.at(-1)).toMatchObject({ kind: 'handback', text: 'Внутридомовые сети — это ОСИ, не водоканал' });
    const told = await sentTemplate(number, 'status.rerouted');
    expect(told.payload.text).toMatch(/передаётся другой ответственной службе/);
    expect(told.payload.text).not.toMatch(/ОСИ|не наш/);
    // The executor no longer holds it; it is in the centre's queue of new tickets.
    expect((await view('water', number)).status).toBe(403);
    const queue = await c.api('/api/v1/tickets?status=new&limit=500', { token: tok.operator });
    expect(queue.body.tickets.map((x: { number: string }) => x.number)).toContain(number);
    expect((await act('water', number, { action: 'hand_back', reason: 'ещё раз' })).status).toBe(403);
    const again = await act('operator', number, { action: 'assign', organisation: 'astana-teplotranzit', category: 'HOTW' });
    expect(again.status, again.text).toBe(200);
    expect(again.body.status).toBe('assigned');
    expect((await row(number)).assigned_at).not.toBeNull();
    // Handing back what the centre already holds would return it into the same queue: refused.
    const own = await ticketFor(c.ctx.city.city.fallback_organisation, 'OTHR', 'Прошу дать справку о графике приёма');
    expect((await act('operator', own, { action: 'hand_back', reason: 'x' })).status).toBe(409);
  });

  it('moves both deadlines by the working time a wait over a weekend took, when no one had accepted the ticket', async () => {
    const number = await ticketFor('astana-su-arnasy', 'WATR', 'Слабый напор холодной воды, улица Кенесары 12');
    const before = await row(number);
    expect(before.accepted_at).toBeNull();
    c.ctx.now = () => astana('2026-12-04T17:00:00'); // Friday
    expect((await act('water', number, { action: 'ask', question: 'С какого этажа слабый напор?' })).status).toBe(200);
    expect((await act('supervisor', number, { action: 'accept' })).status).toBe(403);
    c.ctx.now = () => astana('2026-12-07T10:00:00'); // Monday: 1 h on Friday and 1 h on Monday were working time
    const r = await act('water', number, { action: 'resume' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('in_progress');
    const after = await row(number);
    expect(after.paused_minutes).toBe(120);
    const cal = c.ctx.city.calendar;
    expect(after.resolution_due?.toISOString()).toBe(addWorkingMinutes(cal, before.resolution_due as Date, 120).due.toISOString());
    expect(after.first_response_due?.toISOString()).toBe(addWorkingMinutes(cal, before.first_response_due as Date, 120).due.toISOString());
    const told = await sentTemplate(number, 'status.resumed');
    expect(told.payload.text).toContain('Работа по обращению');
    expect((await view('water', number)).body.history.at(-1)).toMatchObject({ action: 'ticket.resume', data: { paused_minutes: 120 } });
  });
});

describe('reply templates per category', () => {
  it('uses the snow text in Russian for a SNOW ticket and the general text for another category', async () => {
    const snow = await ticketFor('akimat-esil', 'SNOW', 'Не убран снег на тротуаре вдоль улицы Сыганак');
    const water = await ticketFor('astana-su-arnasy', 'WATR', 'Течёт кран в колонке во дворе');
    for (const n of [snow, water]) {
      expect((await act('operator', n, { action: 'accept' })).status).toBe(200);
      expect((await act('operator', n, { action: 'resolve', note: 'Работы выполнены' })).status).toBe(200);
    }
    const snowResolved = await sentTemplate(snow, 'status.resolved');
    expect(snowResolved.payload).toMatchObject({ language: 'ru', variant: 'status.resolved@SNOW' });
    expect(snowResolved.payload.text).toMatch(
      /^Обращение AST-\d{4}-\d+ отмечено как выполненное: снег убран\. Исполнитель сообщает: «Работы выполнены»/,
    );
    expect((await sentTemplate(snow, 'status.in_progress')).payload.text).toContain('технику для уборки снега');
    const waterResolved = await sentTemplate(water, 'status.resolved');
    expect(waterResolved.payload.variant).toBe('status.resolved');
    expect(waterResolved.payload.text).toContain('Исполнитель сообщает: «Работы выполнены»');
    expect(waterResolved.payload.text).not.toContain('снег');
  });
});
