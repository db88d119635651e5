// Staff in the city's Telegram bot, end to end (fake Bot API on loopback, the real centre, real HTTP, real
// database): a staff member links their chat with a one-time code (deep link or /link), a wrong or expired code
// links nothing; a ticket assigned to an organisation (routed at once, or by an operator) reaches its linked
// executors once, without the resident's personal data; unlinked users get nothing; a restart sends nothing again.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, messageUpdate, type Person } from '../../src/demo/fakes/telegram.js';
import type { Settings } from '../../src/settings.js';
import { freshPostgres, startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SECRET = 'staff-webhook-secret';
const PUBLIC_URL = 'https://qala.example.kz';

let updateIds = 1;
const person = (id: number, language_code?: string): Person => ({ id, first_name: `Staff ${id}`, ...(language_code ? { language_code } : {}) });

describe('staff notifications through the Telegram bot', () => {
  let fake: FakeTelegram;
  let c: TestCentre;
  let db: Partial<Settings>;
  const cleanups: (() => Promise<void> | void)[] = [];
  const water = person(7101, 'en'); // executor.water@qala.demo (locale ru)
  const esil = person(7102, 'ru'); // executor.esil@qala.demo (locale kk)
  const stranger = person(7199, 'en');

  const settings = () => ({
    ...db,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_URL: fake.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_POLLING: false,
    QALA_PUBLIC_URL: PUBLIC_URL,
  });

  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    if (process.env.DATABASE_URL) {
      const pg = await freshPostgres(process.env.DATABASE_URL);
      cleanups.push(pg.drop);
      db = { DATABASE_URL: pg.url };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'qala-telegram-staff-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      db = { QALA_DATA_DIR: dir };
    }
    c = await startTestCentre(settings());
  });
  afterAll(async () => {
    await c?.close();
    await fake?.stop();
    for (const f of cleanups.reverse()) await f();
  });

  const say = async (p: Person, text: string) => {
    const u = { update_id: updateIds++, ...messageUpdate(fake, p, { text }) };
    const r = await fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, SECRET);
    expect(r.status).toBe(200);
    return u;
  };
  const replyTo = async (p: Person, text: string) => {
    const before = fake.sentTo(p.id).length;
    await say(p, text);
    return (await waitFor(`the bot's answer to ${p.id}`, async () => fake.sentTo(p.id)[before])).text;
  };
  const userId = async (email: string) => (await c.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const linkOf = async (email: string) =>
    c.ctx.db
      .selectFrom('staff_telegram')
      .selectAll()
      .where('user_id', '=', await userId(email))
      .executeTakeFirst();
  const newCode = async (email: string) => {
    const r = await c.api('/api/v1/me/telegram-link', { method: 'POST', token: await c.login(email) });
    expect(r.status, r.text).toBe(200);
    return r.body as { code: string; deep_link: string | null; command: string; expires_at: string };
  };
  const staffRows = (userIdValue: number) =>
    c.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('channel', '=', 'telegram')
      .execute()
      .then((rows) => rows.filter((r) => r.target.staff_user_id === userIdValue));
  const fileAppeal = async (text: string, contact?: Record<string, string>) => {
    const r = await c.api('/api/v1/appeals', { body: { text, ...(contact ? { contact } : {}) } });
    expect(r.status, r.text).toBe(201);
    return r.body as { number: string; status: string; organisation: { id: string } | null };
  };
  const act = async (number: string, body: Record<string, unknown>) => {
    const operator = await c.login('operator1@qala.demo');
    const t = await c.api(`/api/v1/tickets/${number}`, { token: operator });
    const r = await c.api(`/api/v1/tickets/${number}/actions`, { token: operator, body: { ...body, version: t.body.version } });
    expect(r.status, r.text).toBe(200);
  };

  it('links a staff account by the /start deep link: answers in the user’s locale, keeps only the code’s hash, audits it', async () => {
    const token = await c.login('executor.water@qala.demo');
    expect((await c.api('/api/v1/auth/me', { token })).body.telegram).toEqual({ linked: false, linked_at: null });
    const link = await newCode('executor.water@qala.demo');
    expect(link.code).toMatch(/^[A-Z2-9]{10}$/);
    expect(link.deep_link).toBe(`https://t.me/${fake.username}?start=link-${link.code}`);
    expect(link.command).toBe(`/link ${link.code}`);
    const stored = await c.ctx.db
      .selectFrom('staff_telegram_codes')
      .selectAll()
      .where('user_id', '=', await userId('executor.water@qala.demo'))
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).toBe(createHash('sha256').update(link.code).digest('hex'));
    const minutes = (stored.expires_at.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    const start = await say(water, `/start link-${link.code}`);
    // The chat's app is in English, but the account's locale is Russian: the confirmation speaks Russian.
    const answer = await waitFor('the confirmation', async () => fake.sentTo(water.id).find((s) => s.text.startsWith('Готово')));
    expect(answer.text).toContain('Марат Ибраев');
    expect((await linkOf('executor.water@qala.demo'))?.chat_id).toBe(String(water.id));
    expect((await c.api('/api/v1/auth/me', { token })).body.telegram.linked).toBe(true);
    const audit = await c.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.telegram_linked').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'user', entity_type: 'user', entity_id: String(await userId('executor.water@qala.demo')) });
    // A link message is not an appeal: nothing stored in the inbox, and the code is used up.
    const ext = `${water.id}:${start.message.message_id}`;
    expect(await c.ctx.db.selectFrom('messages').select('id').where('external_id', '=', ext).execute()).toHaveLength(0);
    expect(await c.ctx.db.selectFrom('staff_telegram_codes').select('user_id').where('code_hash', '=', stored.code_hash).execute()).toHaveLength(0);
    expect(await replyTo(stranger, `/start link-${link.code}`)).toMatch(/did not work/);
    expect((await linkOf('executor.water@qala.demo'))?.chat_id).toBe(String(water.id));
  });

  it('links by /link in the user’s locale (Kazakh), and linking again replaces the chat', async () => {
    const first = await newCode('executor.esil@qala.demo');
    expect(await replyTo(stranger, `/link ${first.code.toLowerCase()}`)).toMatch(/^Дайын, Нұрлан Омаров/);
    expect((await linkOf('executor.esil@qala.demo'))?.chat_id).toBe(String(stranger.id));
    const again = await newCode('executor.esil@qala.demo');
    expect(await replyTo(esil, `/link ${again.code}`)).toMatch(/^Дайын/);
    const links = await c.ctx.db
      .selectFrom('staff_telegram')
      .selectAll()
      .where('user_id', '=', await userId('executor.esil@qala.demo'))
      .execute();
    expect(links.map((l) => l.chat_id)).toEqual([String(esil.id)]);
  });

  it('a wrong or expired code gets the same neutral answer and links nothing', async () => {
    const wrong = await replyTo(stranger, '/link ABCDEFGHJK');
    expect(wrong).toMatch(/did not work: it is wrong or has expired/);
    const code = await newCode('operator2@qala.demo');
    await c.ctx.db
      .updateTable('staff_telegram_codes')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('user_id', '=', await userId('operator2@qala.demo'))
      .execute();
    expect(await replyTo(stranger, `/start link-${code.code}`)).toBe(wrong);
    expect(await linkOf('operator2@qala.demo')).toBeUndefined();
    expect(await replyTo(stranger, '/link')).toMatch(/\/link CODE/);
  });

  it('an appeal routed to astana-su-arnasy reaches its linked executor once, without the resident’s personal data', async () => {
    const waterId = await userId('executor.water@qala.demo');
    const t = await fileAppeal('Прорвало трубу холодной воды в подвале, вода заливает подъезд. Кенесары 40, кв. 15', {
      name: 'Айжан Сарсенова',
      phone: '+77012345678',
    });
    expect(t.organisation?.id).toBe('astana-su-arnasy');
    expect(t.status).toBe('assigned');
    const notice = await waitFor('the notice', async () => fake.sentTo(water.id).find((s) => s.text.includes(t.number)));
    expect(notice.text).toContain('передано вашей организации');
    // The public address only: street and house, without the flat.
    expect(notice.text.split('\n')).toContain('Адрес: Кенесары, 40');
    expect(notice.text).toMatch(/\(UTC\+5\)/);
    expect(notice.text).toContain(`${PUBLIC_URL}/#/staff/ticket/${t.number}`);
    for (const secret of ['кв.', 'Айжан', 'Сарсенова', '7012345678', '+7']) expect(notice.text).not.toContain(secret);
    const rows = (await staffRows(waterId)).filter((r) => r.idempotency_key.includes(t.number));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toMatchObject({ language: 'ru', template: 'staff.assigned' });
    await waitFor('the row marked sent', async () => (await staffRows(waterId)).find((r) => r.id === rows[0]?.id && r.status === 'sent'));
    expect(fake.sentTo(water.id).filter((s) => s.text.includes(t.number))).toHaveLength(1);
    // Not part of the resident's conversation: the public page of the ticket shows no staff notice.
    const page = await c.api(`/api/v1/appeals/${t.number}`);
    expect(page.status, page.text).toBe(200);
    expect(JSON.stringify(page.body)).not.toContain('передано вашей организации');
    // Executors of other organisations, linked or not, hear nothing of it.
    expect(fake.sentTo(esil.id).filter((s) => s.text.includes(t.number))).toHaveLength(0);
  });

  it('an operator’s assign to another organisation notifies that organisation’s linked executor, in their locale', async () => {
    const t = await fileAppeal('Во дворе на улице Кенесары 42 не горят фонари уже неделю, темно и опасно');
    const before = fake.sentTo(water.id).length;
    await act(t.number, { action: 'assign', organisation: 'akimat-esil' });
    const notice = await waitFor('the notice', async () => fake.sentTo(esil.id).find((s) => s.text.includes(t.number)));
    expect(notice.text).toContain('жаңа өтініші сіздің ұйымыңызға жіберілді');
    expect(notice.text).toContain(`${PUBLIC_URL}/#/staff/ticket/${t.number}`);
    await waitFor('the row marked sent', async () =>
      (await staffRows(await userId('executor.esil@qala.demo'))).find((r) => r.idempotency_key.includes(t.number) && r.status === 'sent'),
    );
    expect(fake.sentTo(esil.id).filter((s) => s.text.includes(t.number))).toHaveLength(1);
    expect(
      fake
        .sentTo(water.id)
        .slice(before)
        .filter((s) => s.text.includes(t.number)),
    ).toHaveLength(0);
  });

  it('unlinked users get nothing: no outbox row for them, and a row written before unlinking is dropped', async () => {
    const esilId = await userId('executor.esil@qala.demo');
    const token = await c.login('executor.esil@qala.demo');
    const r = await c.api('/api/v1/me/telegram-link', { method: 'DELETE', token });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ unlinked: true });
    expect((await c.api('/api/v1/auth/me', { token })).body.telegram.linked).toBe(false);
    expect(await c.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'staff.telegram_unlinked').execute()).toHaveLength(1);
    const rowsBefore = (await staffRows(esilId)).length;
    const sentBefore = fake.sent.length;

    const t = await fileAppeal('На улице Кенесары 44 сломан светофор на перекрёстке, машины едут как попало');
    await act(t.number, { action: 'assign', organisation: 'akimat-esil' });
    expect(await staffRows(esilId)).toHaveLength(rowsBefore);

    // A notice queued while linked and delivered after unlinking: dropped with a log line, not retried.
    const telegram = c.connectors.find((x) => x.channel === 'telegram');
    await telegram?.deliver?.({
      id: 0,
      idempotency_key: `staff:test:unlinked:user:${esilId}`,
      channel: 'telegram',
      ticket_id: null,
      target: { staff_user_id: esilId },
      payload: { text: 'test', language: 'kk' },
      attempts: 1,
    });
    expect(fake.sent.slice(sentBefore).filter((s) => s.chat_id === String(esil.id))).toHaveLength(0);
  });

  it('a restart sends nothing again, even for a row that was sent but not marked so', async () => {
    const waterId = await userId('executor.water@qala.demo');
    const rows = await staffRows(waterId);
    expect(rows.length).toBeGreaterThan(0);
    const sentBefore = fake.sent.length;
    await c.close();
    c = await startTestCentre(settings());
    // The demo data is loaded again idempotently: no new ticket, so no new notice.
    expect(await staffRows(waterId)).toHaveLength(rows.length);
    // As if the previous process had crashed after Telegram accepted the message but before the row was marked.
    const row = rows[0] as (typeof rows)[number];
    await c.ctx.db.updateTable('outbox').set({ status: 'pending', attempts: 0, next_attempt_at: new Date() }).where('id', '=', row.id).execute();
    await waitFor('the row handled again', async () =>
      c.ctx.db.selectFrom('outbox').select('id').where('id', '=', row.id).where('status', '=', 'sent').where('attempts', '=', 1).executeTakeFirst(),
    );
    // A fresh assignment after the restart still arrives, once.
    const t = await fileAppeal('Нет холодной воды во всём доме на улице Кенесары 46 с самого утра');
    expect(t.organisation?.id).toBe('astana-su-arnasy');
    await waitFor('the new notice', async () => fake.sentTo(water.id).find((s) => s.text.includes(t.number)));
    expect(fake.sent.slice(sentBefore).map((s) => s.chat_id)).toEqual([String(water.id)]);
  });
});
