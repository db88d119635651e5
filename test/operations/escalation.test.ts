// The SLA clock that acts, end to end on a real centre and database with a controlled clock: each escalation step
// fires at its moment and not before, reaches its recipients by the fake Telegram and the fake SMTP server in their
// own language without the resident's personal data, fires once however often the sweep runs (twice, at once, after a
// crash in the middle or a restart on the same database), the return timer takes an unaccepted ticket back to the
// centre's queue, a ticket waiting for the resident does not escalate, and the daily summary goes out once a day.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { FakeSmtp } from '../../src/demo/fakes/smtp.js';
import { FakeTelegram } from '../../src/demo/fakes/telegram.js';
import { commitChange } from '../../src/outbox/change.js';
import type { Settings } from '../../src/settings.js';
import { addDuration, addWorkingDays, formatLocal, isWorkingDay, localDate } from '../../src/sla/calendar.js';
import { escalationSweep } from '../../src/sla/escalation.js';
import { dailySummarySweep } from '../../src/sla/summary.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { notifyReopened } from '../../src/tickets/notify-staff.js';
import { freshPostgres, startTestCentre, type TestCentre, waitFor } from '../centre.js';

const CHATS = { 'executor.water@qala.demo': 8101, 'head.water@qala.demo': 8102, 'supervisor@qala.demo': 8103, 'deputy.akim@qala.demo': 8104 };
const PERSONAL = ['Айжан', 'Сарсенова', '7012345678', 'кв.', '9137'];
const later = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

let fake: FakeTelegram;
let smtp: FakeSmtp;
let c: TestCentre;
let db: Partial<Settings>;
const cleanups: (() => Promise<void> | void)[] = [];

const settings = (): Partial<Settings> => ({
  ...db,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_URL: fake.url,
  TELEGRAM_WEBHOOK_SECRET: 'escalation-secret',
  TELEGRAM_POLLING: false,
  SMTP_URL: smtp.url,
  MAIL_FROM: 'Qala Astana <qala@city.example.test>',
  STAFF_MAIL: true,
  QALA_PUBLIC_URL: 'https://qala.example.kz',
});

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  smtp = await FakeSmtp.start();
  if (process.env.DATABASE_URL) {
    const pg = await freshPostgres(process.env.DATABASE_URL);
    cleanups.push(pg.drop);
    db = { DATABASE_URL: pg.url };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'qala-escalation-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    db = { QALA_DATA_DIR: dir };
  }
  // No demo appeals (their deadlines would escalate too); the demo accounts this test needs, as demo.yaml has them.
  c = await startTestCentre(settings(), { demo: false });
  for (const u of c.ctx.city.demo.users.filter((d) => d.email === 'operator1@qala.demo' || d.email in CHATS)) {
    const { id } = await c.ctx.db
      .insertInto('users')
      .values({ email: u.email, name: u.name, password_hash: await hashPassword(u.password), locale: u.locale })
      .returning('id')
      .executeTakeFirstOrThrow();
    await c.ctx.db
      .insertInto('memberships')
      .values({ user_id: id, role: u.role, organisation_id: u.organisation ?? null, watch_account_id: u.watch_account ?? null })
      .execute();
    const chat = CHATS[u.email as keyof typeof CHATS];
    if (chat)
      await c.ctx.db
        .insertInto('staff_telegram')
        .values({ user_id: id, chat_id: String(chat), linked_at: new Date() })
        .execute();
  }
});
afterAll(async () => {
  await c?.close();
  await fake?.stop();
  await smtp?.close();
  for (const f of cleanups.reverse()) await f();
});

const sweep = async (now: Date) => (await sweepOnce(c.ctx, [escalationSweep], now)).escalations ?? 0;
/** Sweeps at `now` and gives the steps that fired for ticket `n` (the other tickets escalate on their own clocks). */
async function fires(n: string, now: Date) {
  const before = (await steps(n)).length;
  await sweep(now);
  return (await steps(n)).slice(before);
}
const row = (n: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', n).executeTakeFirstOrThrow();
const steps = async (n: string) =>
  (
    await c.ctx.db
      .selectFrom('escalations as e')
      .innerJoin('tickets as t', 't.id', 'e.ticket_id')
      .select(['e.step', 'e.cycle'])
      .where('t.number', '=', n)
      .orderBy('e.id')
      .execute()
  ).map((s) => s.step);
const drained = () =>
  waitFor(
    'the outbox drained',
    async () => (await c.ctx.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length === 0,
  );
// What a staff member got about ticket `n`, leaving out the notice that it was assigned to their organisation.
const ASSIGNED = /^(Новое обращение|New ticket) |жаңа өтініші сіздің ұйымыңызға/;
const chat = (email: keyof typeof CHATS, n: string) => fake.sentTo(CHATS[email]).filter((s) => s.text.includes(n) && !ASSIGNED.test(s.text));
async function mails(to: string, n: string) {
  const parsed = await Promise.all(smtp.accepted.filter((m) => m.to.includes(to)).map((m) => simpleParser(m.raw)));
  return parsed.filter((p) => (p.text ?? '').includes(n) && !ASSIGNED.test(p.subject ?? ''));
}
async function file(text: string) {
  const r = await c.api('/api/v1/appeals', { body: { text, contact: { name: 'Айжан Сарсенова', phone: '+77012345678' } } });
  expect(r.status, r.text).toBe(201);
  return r.body.number as string;
}
async function act(email: string, n: string, body: Record<string, unknown>) {
  const token = await c.login(email);
  const t = await c.api(`/api/v1/tickets/${n}`, { token });
  const r = await c.api(`/api/v1/tickets/${n}/actions`, { token, body: { ...body, version: t.body.version } });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

describe('escalation steps on a controlled clock', () => {
  let slow: string; // accepted by the water utility, then late: at risk → breach → deputy akim
  let silent: string; // an emergency nobody accepts: first response missed and returned to the queue
  let waiting: string; // waiting for the resident's answer: its clock stands still

  beforeAll(async () => {
    slow = await file('Нет холодной воды во всём доме на улице Кенесары 46 с самого утра, кв. 9137');
    silent = await file('Прорыв водопровода, кипяток хлещет на улицу, люди могут обвариться, Кенесары 40, кв. 9137');
    waiting = await file('Слабый напор холодной воды на пятом этаже по вечерам, Кенесары 40, кв. 9137');
    for (const n of [slow, silent, waiting]) expect((await row(n)).organisation_id).toBe('astana-su-arnasy');
    expect((await row(silent)).urgency).toBe('critical');
    await act('executor.water@qala.demo', slow, { action: 'accept' });
    await act('executor.water@qala.demo', waiting, { action: 'accept' });
    await act('executor.water@qala.demo', waiting, { action: 'ask', question: 'На каком этаже и в какие часы падает напор?' });
  });

  it('an emergency nobody accepts: nothing before the hour, then first response missed and back to the queue', async () => {
    const t = await row(silent);
    const hour = addDuration(c.ctx.city.calendar, t.assigned_at as Date, { hours: 1 }).due;
    expect(await fires(silent, later(hour, -1))).toEqual([]);
    expect(await fires(silent, hour)).toEqual(['emergency/first-response-missed', 'emergency/no-reaction']);
    const back = await row(silent);
    expect(back).toMatchObject({ status: 'new', organisation_id: 'ikomek', assigned_at: null, version: t.version + 1 });
    const audit = await c.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', silent).orderBy('id').execute();
    expect(audit.map((a) => a.action).slice(-3)).toEqual(['ticket.escalated', 'ticket.escalated', 'ticket.returned_to_queue']);
    expect(audit.at(-1)).toMatchObject({
      actor_type: 'system',
      data: { organisation: { from: 'astana-su-arnasy', to: 'ikomek' }, reason: 'no_reaction' },
    });
    await drained();
    // The head (Kazakh) hears of the missed first response; the executor (Russian) that the ticket was taken back.
    expect(chat('head.water@qala.demo', silent).map((m) => m.text.split('\n')[0])).toEqual([
      `${silent} өтініші алғашқы жауап мерзіміне (${humanTime(t.first_response_due as Date)}) дейін жұмысқа алынбады.`,
    ]);
    expect(chat('executor.water@qala.demo', silent).at(-1)?.text).toMatch(/возвращено в очередь центра: .* не приняла его за 1 ч\./);
    expect(chat('supervisor@qala.demo', silent)).toHaveLength(2);
    // An operator assigns it again: a new assignment, so the timer runs again, once.
    await act('operator1@qala.demo', silent, { action: 'assign', organisation: 'astana-su-arnasy' });
    const again = await row(silent);
    expect(again.assigned_at?.getTime()).toBeGreaterThan(hour.getTime() - 3_600_000);
    const second = addDuration(c.ctx.city.calendar, again.assigned_at as Date, { hours: 1 }).due;
    // The first response was owed once; the new organisation's silence is a new cycle of the timer.
    expect(await fires(silent, second)).toEqual(['emergency/no-reaction']);
    expect(await fires(silent, second)).toEqual([]);
    expect((await row(silent)).status).toBe('new');
    // Closed by an operator: nothing more escalates for it.
    await act('operator1@qala.demo', silent, { action: 'reject', reason: 'Авария уже устранена аварийной службой' });
    expect(await fires(silent, later((await row(silent)).resolution_due as Date, 1))).toEqual([]);
  });

  it('at risk in the last quarter: the executor is told why, in Russian, by Telegram and e-mail, without personal data', async () => {
    const t = await row(slow);
    const due = t.resolution_due as Date;
    // High urgency water: 48 hours round the clock; a quarter is 12 hours.
    expect(due.getTime() - t.created_at.getTime()).toBe(48 * 3_600_000);
    expect(await fires(slow, later(due, -12 * 60 - 1))).toEqual([]);
    expect(await fires(slow, later(due, -12 * 60 + 1))).toEqual(['default/at-risk']);
    expect((await row(slow)).at_risk_at?.getTime()).toBe(later(due, -12 * 60 + 1).getTime());
    await drained();
    const [notice] = chat('executor.water@qala.demo', slow);
    expect(notice?.text).toContain(`Срок по обращению ${slow} под угрозой: осталось 11 ч 59 мин.`);
    expect(notice?.text).toContain('Почему: осталось меньше 25% срока.');
    expect(notice?.text).toContain('Адрес: Кенесары, 46');
    expect(notice?.text).toContain(`https://qala.example.kz/#/staff/ticket/${slow}`);
    const [mail] = await mails('executor.water@qala.demo', slow);
    expect(mail?.subject).toBe(`Срок по обращению ${slow} под угрозой: осталось 11 ч 59 мин.`);
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');
    for (const secret of PERSONAL) {
      expect(notice?.text).not.toContain(secret);
      expect(mail?.text).not.toContain(secret);
    }
    // Running it again, or twice at once, fires and sends nothing new.
    await sweep(later(due, -60));
    await drained();
    const sent = fake.sent.length + smtp.accepted.length;
    expect(await sweep(later(due, -60))).toBe(0);
    expect(await Promise.all([sweep(later(due, -59)), sweep(later(due, -59))])).toEqual([0, 0]);
    await drained();
    expect(fake.sent.length + smtp.accepted.length).toBe(sent);
  });

  it('after a restart on the same database: nothing repeats; a crash in the middle of a step loses nothing', async () => {
    const due = (await row(slow)).resolution_due as Date;
    await c.close();
    c = await startTestCentre(settings(), { demo: false });
    expect(await fires(slow, later(due, -30))).toEqual([]);
    // The breach is written with its notices in one transaction: make that transaction fail half way, as a crash would.
    await sql`CREATE FUNCTION qala_test_crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'power cut'; END $$`.execute(c.ctx.db);
    await sql`CREATE TRIGGER qala_test_crash BEFORE INSERT ON outbox FOR EACH ROW WHEN (NEW.payload->>'template' = 'staff.breach') EXECUTE FUNCTION qala_test_crash()`.execute(
      c.ctx.db,
    );
    expect(await fires(slow, due)).toEqual([]);
    expect(
      await c.ctx.db.selectFrom('audit_log').select('id').where('entity_id', '=', slow).where('action', '=', 'ticket.escalated').execute(),
    ).toHaveLength(1);
    await sql`DROP TRIGGER qala_test_crash ON outbox`.execute(c.ctx.db);
    expect(await fires(slow, later(due, 5))).toEqual(['default/breach']);
    await drained();
    expect(chat('executor.water@qala.demo', slow)).toHaveLength(1); // the at-risk notice, never again
    const [head] = chat('head.water@qala.demo', slow);
    expect(head?.text.split('\n')[0]).toBe(`${slow} өтінішінің мерзімі өтті (5 мин бұрын).`);
    expect(chat('supervisor@qala.demo', slow)).toHaveLength(1);
    expect(chat('deputy.akim@qala.demo', slow)).toHaveLength(0);
  });

  it('two working days after the deadline the deputy akim hears of it, and only then', async () => {
    const due = (await row(slow)).resolution_due as Date;
    const deputy = addWorkingDays(c.ctx.city.calendar, due, 2).due;
    expect(await fires(slow, later(deputy, -1))).toEqual([]);
    expect(await fires(slow, deputy)).toEqual(['default/breach-deputy-akim']);
    expect(await fires(slow, later(deputy, 60))).toEqual([]);
    await drained();
    const [notice] = chat('deputy.akim@qala.demo', slow);
    expect(notice?.text).toMatch(new RegExp(`^Просрочено обращение ${slow}: срок истёк \\d+ (день|дня|дней)`));
    expect(notice?.text).toContain('Организация: ');
    expect((await mails('deputy.akim@qala.demo', slow)).length).toBe(1);
  });

  it('a ticket waiting for the resident does not escalate, however late it is', async () => {
    expect((await row(waiting)).status).toBe('waiting');
    await sweep(new Date(Date.now() + 30 * 86_400_000));
    expect(await steps(waiting)).toEqual([]);
  });

  it('the deadline in both terms on the staff card: paused while waiting, the local date for the resident', async () => {
    const token = await c.login('operator1@qala.demo');
    const paused = (await c.api(`/api/v1/tickets/${waiting}`, { token })).body;
    expect(paused.deadline_view).toMatchObject({ due: paused.deadline, state: 'paused' });
    expect(paused.deadline_view.citizen.ru).toBe('срок приостановлен, пока мы ждём вашего ответа');
    expect(paused.deadline_view.citizen.kk).toBe('сіздің жауабыңызды күткенше мерзім тоқтатылды');
    const fresh = await file('Нет холодной воды в доме на улице Кенесары 48 с ночи');
    const open = (await c.api(`/api/v1/tickets/${fresh}`, { token })).body;
    expect(open.deadline_view).toMatchObject({ due: open.deadline, state: 'on_track', clock: 'calendar' });
    expect(open.deadline_view.citizen.ru).toBe(`до ${humanTime(new Date(open.deadline)).replace(' (UTC+5)', '')}`);
    expect(open.deadline_view.operator.ru).toBe('осталось 1 день 23 ч'); // 48 hours round the clock, minutes ago
    expect(open.deadline_view.operator.kk).toMatch(/ қалды$/);
  });

  it('the daily summary goes to the organisation’s executors and head at 09:00 on working days, once a day', async () => {
    const summaries = () =>
      [...fake.sentTo(CHATS['executor.water@qala.demo']), ...fake.sentTo(CHATS['head.water@qala.demo'])].filter((m) =>
        /Сводка на|күнгі жиынтық/.test(m.text),
      );
    const day = (from: Date, working: boolean) => {
      for (let d = new Date(from); ; d = later(d, 24 * 60))
        if (isWorkingDay(c.ctx.city.calendar, localDate(c.ctx.city.calendar, d)) === working) return localDate(c.ctx.city.calendar, d);
    };
    const run = async (date: string, time: string) =>
      (await sweepOnce(c.ctx, [dailySummarySweep], new Date(`${date}T${time}:00+05:00`)))['daily-summary'];
    const workday = day(later((await row(slow)).created_at, 3 * 24 * 60), true);
    expect(await run(workday, '08:59')).toBe(0);
    expect(await run(workday, '09:00')).toBe(1); // the water utility: the only organisation with an executor or head here
    expect(await run(workday, '17:00')).toBe(0);
    await drained();
    const [ru, kk] = [
      summaries().find((m) => m.chat_id === String(CHATS['executor.water@qala.demo'])),
      summaries().find((m) => m.chat_id === String(CHATS['head.water@qala.demo'])),
    ];
    const [y, m, d] = workday.split('-');
    // Open: the late ticket and the one filed for the card above (both overdue by then), and the one still waiting.
    expect(ru?.text.split('\n').slice(1, 5)).toEqual([
      'Новых за сутки: 0',
      'В работе: 3 (ждут ответа жителя: 1)',
      'Под угрозой срыва срока: 0',
      'Просрочено: 2',
    ]);
    expect(ru?.text.split('\n')[0]).toBe(`Сводка на ${d}.${m}.${y}: ГКП на ПХВ «Астана Су Арнасы»`);
    expect(kk?.text.split('\n')[0]).toMatch(new RegExp(`^${d}\\.${m}\\.${y} күнгі жиынтық: `));
    expect(summaries()).toHaveLength(2);
    expect(await run(day(new Date(`${workday}T12:00:00+05:00`), false), '10:00')).toBe(0); // a day off
    const next = day(later(new Date(`${workday}T12:00:00+05:00`), 24 * 60), true);
    expect(await run(next, '09:30')).toBe(1);
    await drained();
    expect(summaries()).toHaveLength(4);
  });

  it('Open311 expected_datetime is the stored deadline, moved by the pause when the resident answers', async () => {
    const before = await row(waiting);
    c.ctx.now = () => later(before.paused_at as Date, 26 * 60);
    await act('executor.water@qala.demo', waiting, { action: 'resume' });
    c.ctx.now = () => new Date();
    const after = await row(waiting);
    expect(after.resolution_due?.getTime()).toBeGreaterThan(before.resolution_due?.getTime() as number);
    const r = await c.api(`/open311/v2/requests/${waiting}.json`);
    expect(r.status, r.text).toBe(200);
    expect(r.body[0].expected_datetime).toBe(formatLocal(c.ctx.city.calendar, after.resolution_due as Date));
  });

  it('the reopened notice reaches the executors once, without the resident’s words', async () => {
    const t = await row(slow);
    const ticket = { ...t, version: t.version + 1, reopen_count: 1 };
    for (let i = 0; i < 2; i++) await commitChange(c.ctx.db, { type: 'system', id: null }, (change) => notifyReopened(change, c.ctx, ticket));
    await drained();
    const reopened = chat('executor.water@qala.demo', slow).filter((m) => m.text.includes('вернул'));
    expect(reopened.map((m) => m.text.split('\n')[0])).toEqual([`Житель вернул в работу обращение ${slow}: проблема не решена (возвратов: 1).`]);
  });
});

function humanTime(d: Date) {
  const iso = formatLocal(c.ctx.city.calendar, d);
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11, 16)} (UTC+5)`;
}
