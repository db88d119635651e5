// Staff notices by the Telegram bot and by e-mail (STAFF_MAIL on), end to end on a real centre with a fake Bot API
// and a real SMTP server library on loopback: a ticket routed to the water utility reaches its executor both ways
// ("new ticket for my organisation"), and when the resident answers the executor's question on the web portal the
// executor hears the ticket is back in work with its moved deadline — once, however often the answer is
// redelivered, and without the resident's name, phone, flat or words.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSmtp } from '../../src/demo/fakes/smtp.js';
import { FakeTelegram } from '../../src/demo/fakes/telegram.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const EXECUTOR = 'executor.water@qala.demo';
const CHAT = 8301;
const PERSONAL = ['Айжан', 'Сарсенова', '701 234 56 78', 'кв. 15', 'третьем подъезде'];

let fake: FakeTelegram;
let smtp: FakeSmtp;
let c: TestCentre;

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  smtp = await FakeSmtp.start();
  c = await startTestCentre({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_URL: fake.url,
    TELEGRAM_WEBHOOK_SECRET: 'staff-notices-secret',
    TELEGRAM_POLLING: false,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Qala Astana <qala@city.example.test>',
    STAFF_MAIL: true,
    QALA_PUBLIC_URL: 'https://qala.example.kz',
  });
  const u = await c.ctx.db.selectFrom('users').select('id').where('email', '=', EXECUTOR).executeTakeFirstOrThrow();
  await c.ctx.db
    .insertInto('staff_telegram')
    .values({ user_id: u.id, chat_id: String(CHAT), linked_at: new Date() })
    .execute();
});
afterAll(async () => {
  await c?.close();
  await fake?.stop();
  await smtp?.close();
});

const chat = (n: string) => fake.sentTo(CHAT).filter((m) => m.text.includes(n));
async function mails(n: string) {
  const parsed = await Promise.all(smtp.accepted.filter((m) => m.to.includes(EXECUTOR)).map((m) => simpleParser(m.raw)));
  return parsed.filter((p) => (p.text ?? '').includes(n));
}
const withoutPersonalData = (text: string) => {
  for (const p of PERSONAL) expect(text).not.toContain(p);
};

describe('the water utility’s executor hears of their work by Telegram and e-mail', () => {
  let number: string;
  let key: string;

  it('a new ticket for the organisation arrives by both, in the executor’s Russian, without personal data', async () => {
    const r = await c.api('/api/v1/appeals', {
      body: {
        text: 'Нет холодной воды во всём доме на улице Кенесары 46 с утра, кв. 15',
        contact: { name: 'Айжан Сарсенова', phone: '+7 701 234 56 78' },
      },
    });
    expect(r.status, r.text).toBe(201);
    number = r.body.number;
    key = r.body.access_key;
    expect(
      (await c.ctx.db.selectFrom('tickets').select('organisation_id').where('number', '=', number).executeTakeFirstOrThrow()).organisation_id,
    ).toBe('astana-su-arnasy');
    const [tg] = await waitFor('the Telegram notice', async () => chat(number).length > 0 && chat(number));
    const [mail] = await waitFor('the e-mail notice', async () => {
      const m = await mails(number);
      return m.length > 0 && m;
    });
    expect(tg?.text.split('\n')[0]).toBe(`Новое обращение ${number} передано вашей организации.`);
    expect(mail?.subject).toBe(`Новое обращение ${number} передано вашей организации.`);
    expect(mail?.text).toContain(`https://qala.example.kz/#/staff/ticket/${number}`);
    withoutPersonalData(String(tg?.text));
    withoutPersonalData(`${mail?.subject}\n${mail?.text}`);
  });

  it('the resident’s answer to the executor’s question: back in work, told to the executor once by each channel', async () => {
    const token = await c.login(EXECUTOR);
    for (const body of [{ action: 'accept' }, { action: 'ask', question: 'В каком подъезде нет воды?' }]) {
      const r = await c.api(`/api/v1/tickets/${number}/actions`, { token, body });
      expect(r.status, r.text).toBe(200);
    }
    const details = { text: 'Воды нет в третьем подъезде, кв. 15, звоните Айжан +7 701 234 56 78' };
    const headers = { 'x-appeal-key': key, 'idempotency-key': 'answer-1' };
    const first = await c.api(`/api/v1/appeals/${number}/details`, { body: details, headers });
    expect(first.status, first.text).toBe(201);
    // The portal resends the same answer (a lost response): added once, announced once.
    expect((await c.api(`/api/v1/appeals/${number}/details`, { body: details, headers })).status).toBe(200);
    const t = await c.api(`/api/v1/tickets/${number}`, { token });
    expect(t.body.status).toBe('in_progress');

    const answered = (s: string) => s.startsWith(`Житель ответил на вопрос по обращению ${number}`);
    await waitFor('the Telegram notice of the answer', async () => chat(number).some((m) => answered(m.text)));
    const mail = await waitFor('the e-mail of the answer', async () => (await mails(number)).find((m) => answered(m.subject ?? '')));
    const tg = chat(number).filter((m) => answered(m.text));
    expect(tg).toHaveLength(1);
    // The deadline the staff card shows, moved by the wait, as people read it.
    const [date, time] = [String(t.body.deadline).slice(0, 10).split('-'), String(t.body.deadline).slice(11, 16)];
    expect(tg[0]?.text).toContain(`Новый срок: ${date[2]}.${date[1]}.${date[0]} ${time} (UTC+5)`);
    withoutPersonalData(String(tg[0]?.text));
    withoutPersonalData(`${mail.subject}\n${mail.text}`);
    const outbox = await c.ctx.db
      .selectFrom('outbox')
      .select(['channel'])
      .where((eb) => eb.ref('payload', '->>').key('template'), '=', 'staff.answered')
      .where('idempotency_key', 'like', `staff:ticket:${number}:%`)
      .execute();
    expect(outbox.map((o) => o.channel).sort()).toEqual(['email', 'telegram']);
  });
});
