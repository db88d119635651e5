import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { mailAddress, mailDomain, ourMessageId, readMail, replySubject, ticketReferences, whySkip } from './mail.js';

const parse = (headers: string, body = 'Текст обращения') =>
  simpleParser(Buffer.from(`${headers}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`));

describe('reply subjects', () => {
  it('adds Re: and the ticket number once, whatever the resident’s client already added', () => {
    expect(replySubject('Прорыв трубы', 'AST-2026-000123')).toBe('Re: Прорыв трубы [AST-2026-000123]');
    expect(replySubject('RE: Re: Прорыв трубы [AST-2026-000123]', 'AST-2026-000123')).toBe('Re: Прорыв трубы [AST-2026-000123]');
    expect(replySubject('Отв: Ответ: вопрос', 'AST-2026-000123')).toBe('Re: вопрос [AST-2026-000123]');
    expect(replySubject('', 'AST-2026-000123')).toBe('Re: [AST-2026-000123]');
  });
});

describe('our Message-IDs', () => {
  it('name the ticket, so a reply quoting one is traced back to it', () => {
    const id = ourMessageId('AST-2026-000123', 42, mailDomain('Qala <qala@Astana.example.kz>'));
    expect(id).toBe('<ticket.AST-2026-000123.42@astana.example.kz>');
    expect(ticketReferences(['<abc@mail.kz>', id, id])).toEqual([{ number: 'AST-2026-000123', messageId: id }]);
    expect(ticketReferences(['<ticket.not-a-number.1@x>', '<ticket.AST-2026-000123.x@y>'])).toEqual([]);
    expect(mailAddress('Qala <Qala@City.kz>')).toBe('qala@city.kz');
    expect(mailDomain('no-domain')).toBe('qala');
  });
});

describe('mail that must not become a ticket', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto-submitted: auto-replied'],
    ['Precedence: bulk', 'precedence: bulk'],
    ['X-Autoreply: yes', 'auto-reply header'],
  ])('skips %s', async (header, reason) => {
    expect(whySkip(await parse(`From: a@b.kz\r\n${header}`), null)).toBe(reason);
  });

  it('skips bounces, mail without a sender and the city’s own mail, and keeps Auto-Submitted: no', async () => {
    expect(whySkip(await parse('From: MAILER-DAEMON@mx.kz'), null)).toBe('delivery report');
    expect(whySkip(await parse('Subject: x'), null)).toBe('no sender address');
    expect(whySkip(await parse('From: Qala <QALA@city.kz>'), 'qala@city.kz')).toBe('sent by the city itself');
    expect(whySkip(await parse('From: a@b.kz\r\nAuto-Submitted: no'), null)).toBeNull();
  });
});

describe('reading a mail', () => {
  it('names the thread after its first message and finds the ticket a reply answers', async () => {
    const mail = await parse(
      'From: "Айгерим" <A@b.kz>\r\nSubject: Re: Прорыв\r\nMessage-ID: <3@b.kz>\r\nIn-Reply-To: <ticket.AST-2026-000007.9@city.kz>\r\nReferences: <1@b.kz> <ticket.AST-2026-000007.9@city.kz>',
    );
    const read = readMail(mail, Buffer.from('x'), { ownAddress: null, mailbox: 'INBOX', uid: 5 });
    if (read.kind !== 'message') throw new Error('expected a message');
    expect(read.message.externalId).toBe('<3@b.kz>');
    expect(read.message.threadRef).toBe('<1@b.kz>');
    expect(read.message.sender).toEqual({ email: 'A@b.kz', name: 'Айгерим', channelUserId: 'a@b.kz' });
    expect(read.replyTo).toEqual([{ number: 'AST-2026-000007', messageId: '<ticket.AST-2026-000007.9@city.kz>' }]);
  });

  it('identifies a mail without a Message-ID by a hash of its bytes, and uses the subject when the body is empty', async () => {
    const source = Buffer.from('From: a@b.kz\r\nSubject: Нет света\r\n\r\n');
    const read = readMail(await simpleParser(source), source, { ownAddress: null, mailbox: 'INBOX', uid: 1 });
    if (read.kind !== 'message') throw new Error('expected a message');
    expect(read.message.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(read.message.text).toBe('Нет света');
    expect(read.message.threadRef).toBeNull();
  });
});
