// The Telegram bot end to end: a fake Bot API on loopback, the real centre, real HTTP, real database. A message
// by webhook (twice) or by polling is stored once and becomes a ticket; the acknowledgement and every status
// change reach the same chat in the resident's language; the resident checks status, adds details, confirms or
// reopens and rates; a wrong secret, a malformed body and a 429 are handled; the polling offset survives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackUpdate, FakeTelegram, messageUpdate, type Person } from '../../src/demo/fakes/telegram.js';
import type { Settings } from '../../src/settings.js';
import { freshPostgres, startTestCentre, type TestCentre, waitFor } from '../centre.js';

const SECRET = 'webhook-secret_42';

let updateIds = 1;
const person = (id: number, language_code?: string): Person => ({ id, first_name: `Resident ${id}`, ...(language_code ? { language_code } : {}) });

describe('telegram bot by webhook', () => {
  let fake: FakeTelegram;
  let c: TestCentre;
  let admin: string;

  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    c = await startTestCentre({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_URL: fake.url,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_POLLING: false,
    });
    admin = await c.login('admin@qala.demo');
  });
  afterAll(async () => {
    await c?.close();
    await fake?.stop();
  });

  const hook = (u: unknown, secret: string | undefined = SECRET) => fake.postWebhook(`${c.url}/channels/telegram/webhook`, u, secret);
  const send = async (p: Person, fields: Record<string, unknown>) => {
    const update = { update_id: updateIds++, ...messageUpdate(fake, p, fields) };
    const r = await hook(update);
    expect(r.status).toBe(200);
    return update;
  };
  const messageRow = (externalId: string) =>
    c.ctx.db.selectFrom('messages').selectAll().where('channel', '=', 'telegram').where('external_id', '=', externalId).execute();
  const ticketOf = async (externalId: string) =>
    c.ctx.db
      .selectFrom('tickets as t')
      .innerJoin('messages as m', 'm.id', 't.source_message_id')
      .selectAll('t')
      .where('m.channel', '=', 'telegram')
      .where('m.external_id', '=', externalId)
      .executeTakeFirst();
  const ticket = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  const sentWith = (chat: number, pred: (text: string) => boolean) =>
    waitFor(`a message to ${chat}`, async () => fake.sentTo(chat).find((s) => pred(s.text)));
  const act = async (number: string, body: Record<string, unknown>) => {
    const r = await c.api(`/api/v1/tickets/${number}/actions`, { token: admin, body });
    expect(r.status, r.text).toBe(200);
    return r.body;
  };
  /** An appeal by webhook, its ticket and the acknowledgement in the chat. */
  const appeal = async (p: Person, text: string) => {
    const u = await send(p, { text });
    const ext = `${p.id}:${u.message.message_id}`;
    const t = await waitFor('the ticket', () => ticketOf(ext));
    const ack = await sentWith(p.id, (s) => s.includes(t.number));
    return { update: u, ext, ticket: t, ack };
  };
  const toInProgress = async (number: string) => {
    const t = await ticket(number);
    if (t.status === 'new') await act(number, { action: 'assign', organisation: 'astana-su-arnasy' });
    await act(number, { action: 'accept' });
  };

  it('stores a message delivered twice once, opens one ticket and answers in the same chat, replying to it, in Russian', async () => {
    const p = person(5001, 'ru');
    const update = {
      update_id: updateIds++,
      ...messageUpdate(fake, p, { text: 'Во дворе дома по улице Кенесары 40 прорвало трубу, вода заливает подвал' }),
    };
    expect((await hook(update)).status).toBe(200);
    expect((await hook(update)).status).toBe(200);
    const ext = `${p.id}:${update.message.message_id}`;
    const stored = await messageRow(ext);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.audience).toBe('direct');
    // Written to the bot the watchlist names as iKomek 109's.
    expect(stored[0]?.addressed_to).toEqual(['ikomek109']);
    const t = await waitFor('the ticket', () => ticketOf(ext));
    expect(t.channel).toBe('telegram');
    const ack = await sentWith(p.id, (s) => s.includes(t.number));
    expect(ack.text).toMatch(/зарегистрировано под номером/);
    expect(ack.params.reply_parameters).toMatchObject({ message_id: update.message.message_id });
    // The reply is in the ticket's conversation, once, with Telegram's id for it.
    const out = await waitFor('the recorded reply', async () =>
      (
        await c.ctx.db
          .selectFrom('messages')
          .selectAll()
          .where('channel', '=', 'telegram')
          .where('direction', '=', 'out')
          .where('external_id', 'like', `out:ticket:${t.number}:%`)
          .execute()
      ).find((m) => m.raw.platform_id === String(ack.message_id)),
    );
    expect(out.raw.chat_id).toBe(String(p.id));
    expect(fake.sentTo(p.id).filter((s) => s.text.includes(t.number))).toHaveLength(1);
    const resident = await c.ctx.db
      .selectFrom('resident_identities')
      .selectAll()
      .where('channel', '=', 'telegram')
      .where('external_user_id', '=', String(p.id))
      .execute();
    expect(resident).toHaveLength(1);
    expect(t.resident_id).toBe(resident[0]?.resident_id);
  });

  it('answers in Kazakh and in English when the resident writes in them', async () => {
    const kk = await appeal(person(5002, 'ru'), 'Біздің үйде үш күннен бері ыстық су жоқ, Абай даңғылы 10, көмектесіңіздер');
    expect(kk.ack.text).toMatch(/нөмірімен тіркелді/);
    const en = await appeal(person(5003), 'There has been no hot water in our building for three days, please help, Abay avenue 10');
    expect(en.ack.text).toMatch(/registered/);
  });

  it('shows the menu with reply keyboard buttons in the user’s language on /start', async () => {
    const p = person(5004, 'kk');
    const start = await send(p, { text: '/start' });
    const menu = await sentWith(p.id, (s) => s.startsWith('Сәлеметсіз бе'));
    const keyboard = (menu.params.reply_markup as { keyboard: { text: string; request_location?: boolean; request_contact?: boolean }[][] }).keyboard;
    expect(keyboard.flat().map((b) => b.text)).toContain('📝 Жаңа өтініш');
    expect(keyboard.flat().some((b) => b.request_location)).toBe(true);
    expect(keyboard.flat().some((b) => b.request_contact)).toBe(true);
    // No ticket for a command.
    expect(await messageRow(`${p.id}:${start.message.message_id}`)).toHaveLength(0);
  });

  it('tells the status and deadline of the resident’s own ticket, and a neutral "not found" for anyone else’s', async () => {
    const p = person(5005, 'ru');
    const mine = await appeal(p, 'Не горит уличное освещение на проспекте Туран 37, темно уже неделю');
    await send(p, { text: mine.ticket.number });
    const status = await sentWith(p.id, (s) => s.startsWith(`Обращение ${mine.ticket.number}:`));
    expect(status.text).toMatch(/Срок: \d\d\.\d\d\.\d{4}/);
    await send(p, { text: `/status ${mine.ticket.number.toLowerCase()}` });
    await waitFor(
      'the second answer',
      async () => fake.sentTo(p.id).filter((s) => s.text.startsWith(`Обращение ${mine.ticket.number}:`)).length === 2,
    );

    const web = await c.api('/api/v1/appeals', { body: { text: 'Яма на дороге на улице Сыганак 10, машины бьют колёса' } });
    expect(web.status).toBe(201);
    await send(p, { text: `/status ${web.body.number}` });
    await sentWith(p.id, (s) => s === 'Обращение с таким номером среди ваших не найдено.');
    const other = person(5006, 'ru');
    await send(other, { text: mine.ticket.number });
    const refused = await sentWith(other.id, () => true);
    expect(refused.text).toBe('Обращение с таким номером среди ваших не найдено.');
    expect(refused.text).not.toContain(mine.ticket.number);
  });

  it('adds details to an open ticket by /add and by a reply to the acknowledgement, and a location sent right after', async () => {
    const p = person(5007, 'ru');
    const a = await appeal(p, 'Не вывозят мусор во дворе дома на улице Жубанова 5 уже неделю');
    const add = await send(p, { text: `/add ${a.ticket.number} Контейнеры переполнены, мусор лежит на земле` });
    const reply = await send(p, {
      text: 'Ещё и крысы появились',
      reply_to_message: {
        message_id: a.ack.message_id,
        date: 1,
        chat: { id: p.id, type: 'private' },
        from: { id: 42, is_bot: true, first_name: 'Qala' },
        text: a.ack.text,
      },
    });
    const loc = await send(p, { location: { latitude: 51.1283, longitude: 71.4305 } });
    const linked = await c.ctx.db
      .selectFrom('ticket_messages as tm')
      .innerJoin('messages as m', 'm.id', 'tm.message_id')
      .select(['m.external_id', 'm.text', 'm.location', 'm.stage', 'm.direction'])
      .where('tm.ticket_id', '=', a.ticket.id)
      .where('m.direction', '=', 'in')
      .execute();
    const ids = linked.map((m) => m.external_id);
    expect(ids).toEqual(
      expect.arrayContaining([
        a.ext,
        `${p.id}:${add.message.message_id}`,
        `${p.id}:${reply.message.message_id}`,
        `${p.id}:${loc.message.message_id}`,
      ]),
    );
    expect(linked.find((m) => m.external_id === `${p.id}:${add.message.message_id}`)?.text).toBe('Контейнеры переполнены, мусор лежит на земле');
    expect(linked.find((m) => m.external_id === `${p.id}:${loc.message.message_id}`)?.location).toEqual({ lat: 51.1283, lon: 71.4305 });
    // Details do not become tickets of their own.
    expect(await ticketOf(`${p.id}:${reply.message.message_id}`)).toBeUndefined();
    await waitFor(
      'three confirmations',
      async () => fake.sentTo(p.id).filter((s) => s.text === `Добавили к обращению ${a.ticket.number}.`).length === 3,
    );
    // Somebody else's ticket cannot be added to.
    const stranger = person(5008, 'ru');
    await send(stranger, { text: `/add ${a.ticket.number} чужой текст` });
    await sentWith(stranger.id, (s) => s.includes('не найдено'));
    const audit = await c.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', a.ticket.number)
      .where('action', '=', 'ticket.details_added')
      .execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]?.actor_type).toBe('resident');
  });

  it('files a photo with its caption as one appeal and keeps the photo; a location before the words joins the appeal', async () => {
    const p = person(5009, 'ru');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    fake.addFile('ph-big', jpeg, 'photos/file_big.jpg');
    const u = await send(p, {
      caption: 'Яма на дороге у дома Мангилик Ел 20, очень глубокая',
      photo: [
        { file_id: 'ph-small', file_unique_id: 's', width: 90, height: 60, file_size: 100 },
        { file_id: 'ph-big', file_unique_id: 'b', width: 1280, height: 960, file_size: jpeg.length },
      ],
    });
    const [m] = await messageRow(`${p.id}:${u.message.message_id}`);
    expect(m?.text).toContain('Яма на дороге');
    const att = await c.ctx.db
      .selectFrom('attachments')
      .selectAll()
      .where('message_id', '=', m?.id as number)
      .execute();
    expect(att).toHaveLength(1);
    expect(Buffer.from(att[0]?.bytes as Buffer).equals(jpeg)).toBe(true);
    expect(att[0]?.content_type).toBe('image/jpeg');
    expect(fake.fileRequests).toContain('photos/file_big.jpg');

    const q = person(5010, 'ru');
    await send(q, { location: { latitude: 51.09, longitude: 71.41 } });
    await sentWith(q.id, (s) => s.startsWith('Получили'));
    const words = await send(q, { text: 'Здесь не работает светофор на перекрёстке, очень опасно' });
    const [w] = await messageRow(`${q.id}:${words.message.message_id}`);
    expect(w?.location).toEqual({ lat: 51.09, lon: 71.41 });
    expect(await waitFor('its ticket', () => ticketOf(`${q.id}:${words.message.message_id}`))).toBeTruthy();
  });

  it('keeps the phone of the user’s own shared contact for their appeals, and refuses someone else’s', async () => {
    const p = person(5011, 'ru');
    await send(p, { contact: { phone_number: '79991112233', first_name: 'Другой', user_id: 777 } });
    await sentWith(p.id, (s) => s.startsWith('Можно поделиться только своим'));
    await send(p, { contact: { phone_number: '77011234567', first_name: 'Resident', user_id: p.id } });
    await sentWith(p.id, (s) => s.startsWith('Спасибо, номер сохранён'));
    const a = await appeal(p, 'В подъезде дома на улице Иманова 11 не работает лифт второй день');
    const resident = await c.ctx.db
      .selectFrom('residents')
      .selectAll()
      .where('id', '=', a.ticket.resident_id as number)
      .executeTakeFirstOrThrow();
    expect(resident.phone).toBe('+77011234567');
  });

  it('posts each status change; "resolved" has confirm buttons, confirming closes the ticket and the rating is kept', async () => {
    const p = person(5012, 'ru');
    const a = await appeal(p, 'Нет холодной воды во всём доме на улице Бейбитшилик 25 с утра');
    await toInProgress(a.ticket.number);
    await sentWith(p.id, (s) => s.startsWith(`По обращению ${a.ticket.number} начаты работы`));
    await act(a.ticket.number, { action: 'resolve', reason: 'Заменили задвижку' });
    const resolved = await sentWith(p.id, (s) => s.startsWith(`Обращение ${a.ticket.number} отмечено как выполненное`));
    const buttons = (resolved.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual([`ok:${a.ticket.number}`, `no:${a.ticket.number}`]);

    // Someone else pressing a forwarded button changes nothing.
    const stranger = person(5013, 'ru');
    expect((await hook({ update_id: updateIds++, ...callbackUpdate(stranger, `ok:${a.ticket.number}`, resolved.message_id) })).status).toBe(200);
    expect((await ticket(a.ticket.number)).status).toBe('resolved');

    const answersBefore = fake.callsOf('answerCallbackQuery').length;
    await hook({ update_id: updateIds++, ...callbackUpdate(p, `ok:${a.ticket.number}`, resolved.message_id) });
    expect((await ticket(a.ticket.number)).status).toBe('closed');
    expect(fake.callsOf('answerCallbackQuery').length).toBe(answersBefore + 1);
    const closed = await sentWith(p.id, (s) => s.startsWith(`Обращение ${a.ticket.number} закрыто`));
    const stars = (closed.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard
      .flat()
      .map((b) => b.callback_data);
    expect(stars).toEqual([1, 2, 3, 4, 5].map((s) => `rate:${a.ticket.number}:${s}`));
    await hook({ update_id: updateIds++, ...callbackUpdate(p, `rate:${a.ticket.number}:5`, closed.message_id) });
    const rating = await c.ctx.db.selectFrom('ratings').selectAll().where('ticket_id', '=', a.ticket.id).executeTakeFirstOrThrow();
    expect(rating.score).toBe(5);
    expect(rating.channel).toBe('telegram');
    const history = await c.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', a.ticket.number).orderBy('id').execute();
    expect(history.slice(-2).map((h) => [h.action, h.actor_type])).toEqual([
      ['ticket.close', 'resident'],
      ['ticket.rated', 'resident'],
    ]);
    // Each update went out once.
    expect(fake.sentTo(p.id).filter((s) => s.text.startsWith(`Обращение ${a.ticket.number} закрыто`))).toHaveLength(1);
  });

  it('reopens on "not solved" with the resident’s words, back to the same organisation', async () => {
    const p = person(5014, 'ru');
    const a = await appeal(p, 'Не работает отопление в квартире, батареи холодные, улица Сарайшык 7');
    await toInProgress(a.ticket.number);
    await act(a.ticket.number, { action: 'resolve', reason: 'Стравили воздух' });
    const org = (await ticket(a.ticket.number)).organisation_id;
    const resolved = await sentWith(p.id, (s) => s.includes('отмечено как выполненное'));
    await hook({ update_id: updateIds++, ...callbackUpdate(p, `no:${a.ticket.number}`, resolved.message_id) });
    await sentWith(p.id, (s) => s.startsWith('Напишите, что осталось не так'));
    expect((await ticket(a.ticket.number)).status).toBe('resolved');
    await send(p, { text: 'Батареи всё ещё холодные' });
    const t = await ticket(a.ticket.number);
    expect(t.status).toBe('reopened');
    expect(t.organisation_id).toBe(org);
    await sentWith(p.id, (s) => s.startsWith(`Обращение ${a.ticket.number} снова открыто`));
    const reopen = await c.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', a.ticket.number)
      .where('action', '=', 'ticket.reopen')
      .executeTakeFirstOrThrow();
    expect(reopen.actor_type).toBe('resident');
    expect(reopen.data.reason).toBe('Батареи всё ещё холодные');
    // The words did not open a new ticket.
    expect(await c.ctx.db.selectFrom('tickets').select('id').where('resident_id', '=', t.resident_id).execute()).toHaveLength(1);
  });

  it('refuses an update with a wrong or missing secret token (401) and stores nothing', async () => {
    const p = person(5015, 'ru');
    const u = { update_id: updateIds++, ...messageUpdate(fake, p, { text: 'Подделка: прорвало трубу на улице Абая 1' }) };
    expect((await hook(u, 'wrong-secret')).status).toBe(401);
    expect((await fake.postWebhook(`${c.url}/channels/telegram/webhook`, u)).status).toBe(401);
    expect(await messageRow(`${p.id}:${u.message.message_id}`)).toHaveLength(0);
  });

  it('answers 400 to a malformed body and ignores unknown update types and group chats, storing nothing', async () => {
    const before = await c.ctx.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect((await hook({ hello: 'world' })).status).toBe(400);
    expect((await hook('{not json')).status).toBe(400);
    expect((await hook({ update_id: updateIds++, message: { message_id: 'x' } })).status).toBe(400);
    expect(
      (await hook({ update_id: updateIds++, edited_channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel' }, text: 'x' } }))
        .status,
    ).toBe(200);
    const group = messageUpdate(fake, person(5016), { text: 'В группе: прорвало трубу на улице Абая 2' });
    group.message.chat = { id: -2001, type: 'group', first_name: 'g' };
    expect((await hook({ update_id: updateIds++, ...group })).status).toBe(200);
    const after = await c.ctx.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('on 429 waits retry_after, the relay tries again later, and the acknowledgement is sent once', async () => {
    const p = person(5017, 'en');
    fake.failNext('sendMessage', { status: 429, retryAfter: 1 }, 1, (params) => params.chat_id === String(p.id));
    const u = await send(p, { text: 'A tree has fallen across the road on Kabanbay Batyr avenue 12 and blocks traffic' });
    const t = await waitFor('the ticket', () => ticketOf(`${p.id}:${u.message.message_id}`));
    const row = await waitFor('the acknowledgement sent', async () => {
      const r = await c.ctx.db.selectFrom('outbox').selectAll().where('ticket_id', '=', t.id).executeTakeFirst();
      return r?.status === 'sent' ? r : undefined;
    });
    expect(row.attempts).toBe(2);
    const tries = fake.callsOf('sendMessage').filter((call) => call.params.chat_id === String(p.id));
    expect(tries).toHaveLength(2);
    expect(fake.sentTo(p.id).filter((s) => s.text.includes(t.number))).toHaveLength(1);
    // The relay's retry came after retry_after.
    expect((tries[1]?.at as number) - (tries[0]?.at as number)).toBeGreaterThanOrEqual(1000);
  });
});

describe('telegram bot by polling', () => {
  let fake: FakeTelegram;
  const cleanups: (() => Promise<void> | void)[] = [];
  let db: Partial<Settings>;

  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    if (process.env.DATABASE_URL) {
      const pg = await freshPostgres(process.env.DATABASE_URL);
      cleanups.push(pg.drop);
      db = { DATABASE_URL: pg.url };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'qala-telegram-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      db = { QALA_DATA_DIR: dir };
    }
  });
  afterAll(async () => {
    await fake?.stop();
    for (const f of cleanups.reverse()) await f();
  });

  const settings = (polling: boolean) => ({
    ...db,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_URL: fake.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_POLLING: polling,
  });
  const count = async (c: TestCentre, externalId: string) =>
    (await c.ctx.db.selectFrom('messages').select('id').where('channel', '=', 'telegram').where('external_id', '=', externalId).execute()).length;

  it('stores a message heard by webhook and again by polling once, and resumes from the stored offset after a restart', async () => {
    const p = person(6001, 'ru');
    const first = messageUpdate(fake, p, { text: 'Прорвало трубу у дома на улице Кенесары 40, вода на дороге' });
    const ext = `${p.id}:${first.message.message_id}`;

    // 1. Webhook mode hears the message.
    const byHook = await startTestCentre(settings(false));
    try {
      expect((await fake.postWebhook(`${byHook.url}/channels/telegram/webhook`, { update_id: 700, ...first }, SECRET)).status).toBe(200);
      expect(await count(byHook, ext)).toBe(1);
    } finally {
      await byHook.close();
    }

    // 2. Polling mode: the webhook is removed, the same message comes again in getUpdates, plus a new one.
    const c1 = await startTestCentre(settings(true));
    try {
      expect((await fake.postWebhook(`${c1.url}/channels/telegram/webhook`, { update_id: 701, ...first }, SECRET)).status).toBe(409);
      await waitFor('deleteWebhook', async () => fake.callsOf('deleteWebhook').length > 0);
      fake.push({ update_id: 700, ...first });
      const second = fake.push(messageUpdate(fake, p, { text: 'И ещё: на улице Кенесары 42 нет освещения во дворе' }));
      const ext2 = `${p.id}:${(second.message as { message_id: number }).message_id}`;
      await waitFor('the second message', async () => (await count(c1, ext2)) === 1);
      expect(await count(c1, ext)).toBe(1);
      const cursor = await waitFor('the offset', async () => {
        const v = (
          await c1.ctx.db
            .selectFrom('channel_cursors')
            .select('value')
            .where('channel', '=', 'telegram')
            .where('key', '=', 'offset')
            .executeTakeFirst()
        )?.value;
        return v === String(second.update_id + 1) ? v : undefined;
      });
      expect(cursor).toBe(String(second.update_id + 1));
      const t = await waitFor('the ticket of the second', async () =>
        c1.ctx.db
          .selectFrom('tickets as t')
          .innerJoin('messages as m', 'm.id', 't.source_message_id')
          .select('t.number')
          .where('m.external_id', '=', ext2)
          .executeTakeFirst(),
      );
      await waitFor('its acknowledgement', async () => fake.sentTo(p.id).some((s) => s.text.includes(t.number)));
    } finally {
      // Stopping does not wait for the 25-second long poll in flight.
      const t0 = Date.now();
      await c1.close();
      expect(Date.now() - t0).toBeLessThan(10_000);
    }

    // 3. While stopped a new message arrives; the restarted centre asks from the stored offset and gets only it.
    const third = fake.push(messageUpdate(fake, p, { text: 'Не вывозят мусор во дворе дома Кенесары 40' }));
    const callsBefore = fake.callsOf('getUpdates').length;
    const c2 = await startTestCentre(settings(true));
    try {
      const ext3 = `${p.id}:${(third.message as { message_id: number }).message_id}`;
      await waitFor('the third message', async () => (await count(c2, ext3)) === 1);
      const firstPoll = fake.callsOf('getUpdates')[callsBefore];
      expect(firstPoll?.params.offset).toBe(third.update_id);
      expect(await count(c2, ext)).toBe(1);
      const messages = await c2.ctx.db.selectFrom('messages').select('id').where('channel', '=', 'telegram').where('direction', '=', 'in').execute();
      expect(messages).toHaveLength(3);
    } finally {
      await c2.close();
    }
  });
});
