// E-mail end to end: a real centre and database, a fake IMAP mailbox and a real SMTP server library. A mail
// arrives, is stored once, becomes a ticket and is answered in the resident's thread and language; status changes
// follow; the resident's reply joins the same ticket; the UID cursor survives a restart and a UIDVALIDITY change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../../src/channels/connector.js';
import { FakeImap } from '../../src/demo/fakes/imap.js';
import { FakeSmtp } from '../../src/demo/fakes/smtp.js';
import { type Centre, startCentre } from '../../src/main.js';
import type { OutboxRow } from '../../src/outbox/relay.js';
import type { Database } from '../../src/store/db.js';
import { startTestCentre, type TestCentre, testSettings, waitFor } from '../centre.js';

const CITY = 'qala@city.example.test';
const MAIL_FROM = `Qala Astana <${CITY}>`;
const OUR_ID = /^<ticket\.(AST-\d{4}-\d{6})\.(\d+)@city\.example\.test>$/;
// 1×1 PNG and a tiny PDF: what residents attach.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const compose = (m: MailComposerOptions) => new MailComposer({ to: CITY, ...m }).compile().build();

const messageBy = (db: Database, externalId: string) =>
  db.selectFrom('messages').selectAll().where('channel', '=', 'email').where('external_id', '=', externalId).execute();

const stored = (db: Database, externalId: string) => waitFor(`${externalId} stored`, async () => (await messageBy(db, externalId))[0]);

const ticketOfMessage = (db: Database, messageId: number) =>
  db
    .selectFrom('tickets as t')
    .innerJoin('ticket_messages as tm', 'tm.ticket_id', 't.id')
    .selectAll('t')
    .where('tm.message_id', '=', messageId)
    .executeTakeFirst();

/** Waits until the poller has read past `uid`: what it did with that mail is then final. */
const readPast = (db: Database, uid: number) =>
  waitFor(`cursor past UID ${uid}`, async () => Number((await readCursor(db, 'email', 'INBOX:uid')) ?? -1) >= uid);

/** Waits until every mail received so far is through the pipeline and every answer handed to the SMTP server. */
const allSent = (db: Database) =>
  waitFor('the e-mail pipeline and outbox drained', async () => {
    const busy = await db.selectFrom('messages').select('id').where('channel', '=', 'email').where('stage', '!=', 'done').execute();
    const pending = await db.selectFrom('outbox').select('id').where('channel', '=', 'email').where('status', '=', 'pending').execute();
    return busy.length === 0 && pending.length === 0;
  });

/** Sent mails that answer the resident's message `original`, parsed. */
async function answersTo(smtp: FakeSmtp, original: string): Promise<ParsedMail[]> {
  const parsed = await Promise.all(smtp.accepted.map((m) => simpleParser(m.raw)));
  return parsed.filter((p) => p.inReplyTo === original);
}

async function answerWith(smtp: FakeSmtp, original: string, text: RegExp): Promise<ParsedMail> {
  return waitFor(`a mail answering ${original} with ${text}`, async () => (await answersTo(smtp, original)).find((p) => text.test(p.text ?? '')));
}

describe('e-mail channel', () => {
  let imap: FakeImap;
  let smtp: FakeSmtp;
  let c: TestCentre;

  beforeAll(async () => {
    imap = await FakeImap.start();
    smtp = await FakeSmtp.start();
    c = await startTestCentre({ IMAP_URL: imap.url, SMTP_URL: smtp.url, MAIL_FROM, MAIL_POLL_SECONDS: 0.2 });
  });
  afterAll(async () => {
    await c?.close();
    await imap?.close();
    await smtp?.close();
  });

  const RU = '<ru-1@mail.example.kz>';
  let ack: ParsedMail;
  let ticketNumber: string;

  it('a mail is stored once however often it is fetched, becomes a ticket, and is answered in its thread in Russian', async () => {
    const raw = await compose({
      from: '"Айгерим Сапарова" <Aigerim.S@mail.example.kz>',
      subject: 'Прорыв трубы',
      text: 'Прорыв трубы на улице Кенесары 40, вода заливает подвал уже второй день.\nПросим срочно принять меры.',
      messageId: RU,
    });
    const uid = imap.add(raw);
    const msg = await stored(c.ctx.db, RU);
    expect(msg?.text).toBe('Прорыв трубы на улице Кенесары 40, вода заливает подвал уже второй день.\nПросим срочно принять меры.');
    expect(msg?.audience).toBe('direct');
    expect(msg?.thread_ref).toBe(RU);
    expect(msg?.raw).toMatchObject({
      subject: 'Прорыв трубы',
      message_id: RU,
      from: { address: 'Aigerim.S@mail.example.kz', name: 'Айгерим Сапарова' },
    });
    const identity = await c.ctx.db
      .selectFrom('resident_identities')
      .selectAll()
      .where('resident_id', '=', msg?.resident_id as number)
      .execute();
    expect(identity.map((i) => [i.channel, i.external_user_id])).toContainEqual(['email', 'aigerim.s@mail.example.kz']);
    const ticket = await waitFor('a ticket', () => ticketOfMessage(c.ctx.db, msg?.id as number));
    ticketNumber = ticket.number;
    expect(ticket.channel).toBe('email');
    expect(ticket.language).toBe('ru');

    ack = await answerWith(smtp, RU, /зарегистрировано/);
    expect(ack.text).toContain(ticket.number);
    expect(ack.subject).toBe(`Re: Прорыв трубы [${ticket.number}]`);
    expect(ack.to && !Array.isArray(ack.to) ? ack.to.value[0]?.address : null).toBe('Aigerim.S@mail.example.kz');
    expect(ack.from?.value[0]?.address).toBe(CITY);
    expect(ack.references).toBe(RU);
    expect(OUR_ID.exec(ack.messageId ?? '')?.[1]).toBe(ticket.number);
    expect(ack.html).toContain('lang="ru"');
    expect(ack.html).toContain(ticket.number);
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    expect(smtp.accepted.at(-1)?.user).toBe(smtp.user);
    expect(imap.byUid(uid)?.flags.has('\\Seen')).toBe(true);
    // The answer is in the ticket's conversation, with the Message-ID a reply will quote.
    // The server accepts the mail a moment before the relay records it in the conversation.
    const out = await waitFor('the reply recorded', async () => {
      const rows = await c.ctx.db.selectFrom('messages').selectAll().where('channel', '=', 'email').where('direction', '=', 'out').execute();
      return rows.some((m) => m.raw.message_id === ack.messageId) && rows;
    });
    expect(out.map((m) => m.raw.message_id)).toContain(ack.messageId);

    // The same mail again (copied back into the mailbox, or re-read after a crash): nothing new.
    const again = imap.add(raw);
    await readPast(c.ctx.db, again);
    expect(await messageBy(c.ctx.db, RU)).toHaveLength(1);
    expect(
      await c.ctx.db
        .selectFrom('tickets')
        .select('id')
        .where('source_message_id', '=', msg?.id as number)
        .execute(),
    ).toHaveLength(1);
    expect(await answersTo(smtp, RU)).toHaveLength(1);
  });

  it('answers in Kazakh a resident who writes in Kazakh', async () => {
    const KK = '<kk-1@mail.example.kz>';
    imap.add(
      await compose({
        from: 'Нұрлан <nurlan@mail.example.kz>',
        subject: 'Ыстық су жоқ',
        text: 'Сәлеметсіз бе! Біздің үйде үш күннен бері ыстық су жоқ. Мекенжайы: Сарыарқа ауданы, Жеңіс даңғылы 5. Көмектесуіңізді сұраймыз.',
        messageId: KK,
      }),
    );
    const answer = await answerWith(smtp, KK, /тіркелді/);
    const [msg] = await messageBy(c.ctx.db, KK);
    const ticket = await ticketOfMessage(c.ctx.db, msg?.id as number);
    expect(ticket?.language).toBe('kk');
    expect(answer.text).toContain(ticket?.number);
    expect(answer.subject).toBe(`Re: Ыстық су жоқ [${ticket?.number}]`);
    expect(answer.html).toContain('lang="kk"');
  });

  it("an operator's status change is mailed into the same thread", async () => {
    const token = await c.login('operator1@qala.demo');
    let t = (await c.api(`/api/v1/tickets/${ticketNumber}`, { token })).body;
    if (t.status === 'new') {
      const assigned = await c.api(`/api/v1/tickets/${ticketNumber}/actions`, {
        token,
        body: { action: 'assign', organisation: t.organisation ?? 'ikomek', version: t.version },
      });
      expect(assigned.status).toBe(200);
      t = (await c.api(`/api/v1/tickets/${ticketNumber}`, { token })).body;
    }
    const resolved = await c.api(`/api/v1/tickets/${ticketNumber}/actions`, {
      token,
      body: { action: 'resolve', reason: 'Трубу заменили, подвал откачали', version: t.version },
    });
    expect(resolved.status).toBe(200);
    const update = await answerWith(smtp, RU, /отмечено как выполненное/);
    expect(update.text).toContain(ticketNumber);
    expect(update.subject).toBe(`Re: Прорыв трубы [${ticketNumber}]`);
    expect(update.references).toBe(RU);
    expect(update.messageId).not.toBe(ack.messageId);
    expect(OUR_ID.exec(update.messageId ?? '')?.[1]).toBe(ticketNumber);
    expect(update.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it("the resident's reply to the city's mail is added to the same ticket, with its photo, and opens no new ticket", async () => {
    const REPLY = '<ru-2@mail.example.kz>';
    await allSent(c.ctx.db);
    const ticketsBefore = await c.ctx.db.selectFrom('tickets').select('id').execute();
    const sentBefore = smtp.accepted.length;
    const uid = imap.add(
      await compose({
        from: 'Aigerim.S@mail.example.kz',
        subject: ack.subject as string,
        text: 'Вода всё ещё течёт, фото прилагаю.\n\n> Ваше обращение зарегистрировано…',
        inReplyTo: ack.messageId as string,
        references: [RU, ack.messageId as string],
        messageId: REPLY,
        attachments: [{ filename: 'подвал.png', content: PNG, contentType: 'image/png' }],
      }),
    );
    await readPast(c.ctx.db, uid);
    const [msg] = await messageBy(c.ctx.db, REPLY);
    expect(msg?.stage).toBe('done');
    expect(msg?.thread_ref).toBe(RU);
    expect(msg?.raw.ticket_number).toBe(ticketNumber);
    expect((await ticketOfMessage(c.ctx.db, msg?.id as number))?.number).toBe(ticketNumber);
    expect(await c.ctx.db.selectFrom('tickets').select('id').execute()).toHaveLength(ticketsBefore.length);
    const audit = await c.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'ticket.details_added').execute();
    expect(audit.map((a) => [a.entity_id, a.actor_type])).toContainEqual([ticketNumber, 'resident']);
    const photos = await c.ctx.db
      .selectFrom('attachments')
      .selectAll()
      .where('message_id', '=', msg?.id as number)
      .execute();
    expect(photos.map((p) => [p.content_type, p.filename, Buffer.from(p.bytes).equals(PNG)])).toEqual([['image/png', 'подвал.png', true]]);
    // The operator sees it in the ticket's conversation.
    const token = await c.login('operator1@qala.demo');
    const card = await c.api(`/api/v1/tickets/${ticketNumber}`, { token });
    expect(JSON.stringify(card.body)).toContain('Вода всё ещё течёт');
    expect(
      await c.ctx.db
        .selectFrom('message_triage')
        .select('message_id')
        .where('message_id', '=', msg?.id as number)
        .execute(),
    ).toHaveLength(0);
    await allSent(c.ctx.db);
    expect(smtp.accepted.length).toBe(sentBefore);
  });

  it("someone else quoting the city's Message-ID does not get into that ticket: their mail opens its own", async () => {
    const OTHER = '<other-1@elsewhere.example>';
    imap.add(
      await compose({
        from: 'stranger@elsewhere.example',
        subject: ack.subject as string,
        text: 'На улице Кенесары 40 не горят фонари во дворе.',
        inReplyTo: ack.messageId as string,
        references: [RU, ack.messageId as string],
        messageId: OTHER,
      }),
    );
    const msg = await stored(c.ctx.db, OTHER);
    expect(msg?.raw.ticket_number).toBeUndefined();
    const ticket = await waitFor('its own ticket', () => ticketOfMessage(c.ctx.db, msg?.id as number));
    expect(ticket.number).not.toBe(ticketNumber);
  });

  it('an HTML-only mail becomes a ticket with its text; the HTML is kept in raw', async () => {
    const HTML = '<html-1@mail.example.kz>';
    const html = '<div><p>Во дворе дома <b>Сыганак 18</b> не вывозят мусор уже неделю.</p><p>Контейнеры переполнены.</p></div>';
    imap.add(await compose({ from: 'dana@mail.example.kz', subject: 'Мусор', html, messageId: HTML }));
    const msg = await stored(c.ctx.db, HTML);
    expect(msg?.text).toContain('Во дворе дома Сыганак 18 не вывозят мусор уже неделю.');
    expect(msg?.text).toContain('Контейнеры переполнены.');
    expect(msg?.text).not.toMatch(/<\/?[a-z]/);
    expect(msg?.raw.html).toContain('<b>Сыганак 18</b>');
    await waitFor('a ticket', () => ticketOfMessage(c.ctx.db, msg?.id as number));
    await answerWith(smtp, HTML, /зарегистрировано/);
  });

  it('keeps photos and PDFs a resident attaches, and no other files', async () => {
    const ATT = '<att-1@mail.example.kz>';
    imap.add(
      await compose({
        from: 'ermek@mail.example.kz',
        subject: 'Яма на дороге',
        text: 'Огромная яма на проспекте Республики 24, фото и акт во вложении.',
        messageId: ATT,
        attachments: [
          { filename: 'yama.png', content: PNG, contentType: 'image/png' },
          { filename: 'akt.pdf', content: PDF, contentType: 'application/pdf' },
          { filename: 'setup.zip', content: Buffer.from('PK\x03\x04 not really'), contentType: 'application/zip' },
        ],
      }),
    );
    const msg = await stored(c.ctx.db, ATT);
    const kept = await c.ctx.db
      .selectFrom('attachments')
      .selectAll()
      .where('message_id', '=', msg?.id as number)
      .orderBy('id')
      .execute();
    expect(kept.map((a) => [a.content_type, a.filename])).toEqual([
      ['image/png', 'yama.png'],
      ['application/pdf', 'akt.pdf'],
    ]);
    expect(Buffer.from(kept[1]?.bytes as Uint8Array).equals(PDF)).toBe(true);
    expect(String(msg?.raw.attachments_dropped)).toContain('setup.zip');
  });

  it('passes over auto-replies and bounces: no message, no ticket, no answer (no mail loop)', async () => {
    const AUTO = '<auto-1@mail.example.kz>';
    const BOUNCE = '<bounce-1@mail.example.kz>';
    await allSent(c.ctx.db);
    const sentBefore = smtp.accepted.length;
    imap.add(
      await compose({
        from: 'aigerim.s@mail.example.kz',
        subject: 'Автоответ: Re: Прорыв трубы',
        text: 'Я в отпуске до понедельника.',
        messageId: AUTO,
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    const uid = imap.add(
      await compose({
        from: 'MAILER-DAEMON@mail.example.kz',
        subject: 'Undelivered Mail Returned to Sender',
        text: 'User unknown',
        messageId: BOUNCE,
      }),
    );
    await readPast(c.ctx.db, uid);
    expect(await messageBy(c.ctx.db, AUTO)).toHaveLength(0);
    expect(await messageBy(c.ctx.db, BOUNCE)).toHaveLength(0);
    await allSent(c.ctx.db);
    expect(smtp.accepted.length).toBe(sentBefore);
  });

  it('an SMTP refusal (451) is retried later and the answer is sent exactly once', async () => {
    const RETRY = '<retry-1@mail.example.kz>';
    smtp.refuseNext(1);
    const attemptsBefore = smtp.attempts;
    imap.add(
      await compose({
        from: 'saule@mail.example.kz',
        subject: 'Не горит фонарь',
        text: 'На улице Бейбитшилик 10 третью ночь не горит фонарь.',
        messageId: RETRY,
      }),
    );
    const answer = await answerWith(smtp, RETRY, /зарегистрировано/);
    expect(smtp.attempts - attemptsBefore).toBe(2);
    expect(await answersTo(smtp, RETRY)).toHaveLength(1);
    const [msg] = await messageBy(c.ctx.db, RETRY);
    const ticket = await ticketOfMessage(c.ctx.db, msg?.id as number);
    const row = await waitFor('the outbox row sent', () =>
      c.ctx.db
        .selectFrom('outbox')
        .selectAll()
        .where('ticket_id', '=', ticket?.id as number)
        .where('status', '=', 'sent')
        .executeTakeFirst(),
    );
    expect(row.attempts).toBe(2);
    expect(OUR_ID.exec(answer.messageId ?? '')?.[2]).toBe(String(row.id));
    // The relay handing the same row over again (a lost "sent" mark) sends nothing.
    const email = c.connectors.find((x) => x.channel === 'email');
    await email?.deliver?.({ ...row, target: row.target, payload: row.payload } as unknown as OutboxRow);
    expect(await answersTo(smtp, RETRY)).toHaveLength(1);
    expect(smtp.attempts - attemptsBefore).toBe(2);
  });
});

describe('e-mail UID cursor', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const f of cleanups.reverse()) await f();
  });

  it('survives a restart and a UIDVALIDITY change without losing or repeating mail', async () => {
    const imap = await FakeImap.start();
    const smtp = await FakeSmtp.start();
    cleanups.push(
      () => imap.close(),
      () => smtp.close(),
    );
    const dir = mkdtempSync(join(tmpdir(), 'qala-email-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { settings, cleanup } = await testSettings({
      IMAP_URL: imap.url,
      SMTP_URL: smtp.url,
      MAIL_FROM,
      MAIL_POLL_SECONDS: 0.2,
      QALA_DATA_DIR: dir,
    });
    cleanups.push(cleanup);
    const mail = (n: number) =>
      compose({
        from: `resident${n}@mail.example.kz`,
        subject: `Обращение ${n}`,
        text: `Не работает лифт в доме ${n} по улице Иманова.`,
        messageId: `<c-${n}@mail.example.kz>`,
      });
    const storedIds = async (db: Database) =>
      (await db.selectFrom('messages').select('external_id').where('channel', '=', 'email').where('direction', '=', 'in').execute())
        .map((m) => m.external_id)
        .sort();

    // Mail read by a person before Qala was connected is history, not new appeals.
    imap.add(await mail(0), { flags: ['\\Seen'] });
    imap.add(await mail(1));
    let running: Centre | null = null;
    cleanups.push(() => running?.close());
    let centre = await startCentre(settings, { demo: false });
    running = centre;
    await readPast(centre.ctx.db, 2);
    expect(await storedIds(centre.ctx.db)).toEqual(['<c-1@mail.example.kz>']);
    running = null;
    await centre.close();

    const third = imap.add(await mail(2)); // arrives while Qala is down
    const commandsBefore = imap.commands.length;
    centre = await startCentre(settings, { demo: false });
    running = centre;
    await readPast(centre.ctx.db, third);
    expect(await storedIds(centre.ctx.db)).toEqual(['<c-1@mail.example.kz>', '<c-2@mail.example.kz>']);
    const after = imap.commands.slice(commandsBefore);
    expect(after).toContainEqual({ command: 'UID SEARCH', args: 'UID 3:*' });
    expect(after.filter((x) => x.command === 'UID FETCH' && /^(1|2)\b/.test(x.args))).toEqual([]);

    // The mailbox is rebuilt: every UID changes. The unread mail is read again, and Message-IDs keep it single.
    imap.renumber();
    const renumbered = imap.messages.find((m) => m.raw.includes('<c-2@mail.example.kz>'));
    renumbered?.flags.delete('\\Seen'); // the rebuilt box lost the flag, too
    const fourth = imap.add(await mail(3));
    await waitFor('the new UIDVALIDITY', async () => (await readCursor(centre.ctx.db, 'email', 'INBOX:uidvalidity')) === String(imap.uidValidity));
    await readPast(centre.ctx.db, fourth);
    expect(await storedIds(centre.ctx.db)).toEqual(['<c-1@mail.example.kz>', '<c-2@mail.example.kz>', '<c-3@mail.example.kz>']);
    expect(renumbered?.flags.has('\\Seen')).toBe(true);
    const emailTickets = () => centre.ctx.db.selectFrom('tickets').select('id').where('channel', '=', 'email').execute();
    await waitFor('a ticket for each of the three mails', async () => (await emailTickets()).length === 3);
  });
});
