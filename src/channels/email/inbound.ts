// Inbound e-mail: polls one IMAP mailbox by UID, stores each new mail once (by Message-ID) through the inbox,
// and only then marks it \Seen and moves the cursor. A resident's reply to the city's own mail is added to the
// ticket it answers instead of opening a new one.
import { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { type InboundMessage, receive } from '../../inbox/intake.js';
import { addDetails } from '../../tickets/resident.js';
import { readCursor, writeCursor } from '../connector.js';
import { CHANNEL, readMail, type TicketReference } from './mail.js';
import type { ImapTarget } from './servers.js';

/** Whole messages above this are read by their header only (the resident still gets a ticket and an answer). */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
const BATCH = 50;
/** A message that fails this many polls in a row is passed over (logged), so one bad mail cannot stop the box. */
const MAX_FAILURES = 5;

export class MailboxPoller {
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly failures = new Map<number, number>();

  constructor(
    private readonly ctx: Context,
    private readonly target: ImapTarget,
    private readonly ownAddress: string | null,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run() {
    while (!this.stopping) {
      try {
        await this.pollOnce();
      } catch (err) {
        this.ctx.log.warn({ err, channel: CHANNEL }, 'mailbox poll failed; trying again at the next poll');
        await this.disconnect(false);
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    await this.disconnect(true);
  }

  private key(name: string) {
    return `${this.target.mailbox}:${name}`;
  }

  /** Reads what arrived since the last poll; returns how many messages were handled. */
  async pollOnce(): Promise<number> {
    const client = await this.session();
    const db = this.ctx.db;
    const last = await readCursor(db, CHANNEL, this.key('uid'));
    let uids: number[];
    let settle: number | null = null;
    if (last === null) {
      // First read of this mailbox (or UIDVALIDITY changed): take the unread mail, then follow from the newest UID.
      const all = (await client.search({ all: true }, { uid: true })) || [];
      uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
      if (uids.length <= BATCH) settle = Math.max(0, ...all, ...uids);
    } else {
      const from = Number(last);
      // "N:*" also matches the newest message when it is older than N (RFC 3501 §6.4.8): keep only newer ones.
      uids = ((await client.search({ uid: `${from + 1}:*` }, { uid: true })) || []).filter((u) => u > from).sort((a, b) => a - b);
    }
    uids = uids.slice(0, BATCH);
    if (uids.length) {
      const sizes = new Map<number, number>();
      for (const m of await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
      for (const uid of uids) {
        if (this.stopping) return 0;
        if (!sizes.has(uid)) continue; // expunged meanwhile
        await this.handle(client, uid, sizes.get(uid) ?? 0);
        if (last !== null) await writeCursor(db, CHANNEL, this.key('uid'), String(uid));
      }
    }
    if (settle !== null) await writeCursor(db, CHANNEL, this.key('uid'), String(settle));
    return uids.length;
  }

  private async handle(client: ImapFlow, uid: number, size: number) {
    const tooLarge = size > MAX_MESSAGE_BYTES;
    const fetched = await client.fetchOne(String(uid), tooLarge ? { uid: true, headers: true } : { uid: true, source: true }, { uid: true });
    const source = fetched ? (tooLarge ? fetched.headers : fetched.source) : undefined;
    if (!source) return; // expunged meanwhile
    let read: ReturnType<typeof readMail>;
    try {
      const parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true });
      read = readMail(parsed, source, { ownAddress: this.ownAddress, mailbox: this.target.mailbox, uid });
      this.failures.delete(uid);
    } catch (err) {
      // A mail that cannot be read is its own fault, not the database's: after a few tries it is passed over.
      const n = (this.failures.get(uid) ?? 0) + 1;
      this.failures.set(uid, n);
      if (n < MAX_FAILURES) throw err;
      this.failures.delete(uid);
      this.ctx.log.error({ err, channel: CHANNEL, uid }, `mail unreadable ${n} times: passed over, left unread in the mailbox`);
      return;
    }
    if (read.kind === 'skip') {
      this.ctx.log.info({ channel: CHANNEL, uid, reason: read.reason }, 'mail skipped: not a message from a resident');
    } else {
      const msg = read.message;
      if (tooLarge) msg.raw.too_large = size;
      if (read.dropped.length) this.ctx.log.info({ channel: CHANNEL, uid, dropped: read.dropped }, 'attachments not kept');
      const ticket = await this.answeredTicket(read.replyTo, msg.sender?.email ?? '');
      if (!ticket || !(await this.addToTicket(msg, ticket))) await receive(this.ctx, msg);
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  }

  /**
   * The ticket whose mail this one answers: one of our Message-IDs it quotes must be a mail we really sent for
   * that ticket, and the sender must be that ticket's resident. Anything else opens a ticket of its own.
   */
  private async answeredTicket(refs: TicketReference[], sender: string) {
    for (const ref of refs) {
      const t = await this.ctx.db
        .selectFrom('messages as m')
        .innerJoin('ticket_messages as tm', 'tm.message_id', 'm.id')
        .innerJoin('tickets as t', 't.id', 'tm.ticket_id')
        .innerJoin('resident_identities as ri', 'ri.resident_id', 't.resident_id')
        .select(['t.id', 't.number', 't.resident_id'])
        .where('m.channel', '=', CHANNEL)
        .where('m.direction', '=', 'out')
        .where(sql<string>`m.raw->>'message_id'`, '=', ref.messageId)
        .where('t.number', '=', ref.number)
        .where('ri.channel', '=', 'email')
        .where('ri.external_user_id', '=', sender.trim().toLowerCase())
        .executeTakeFirst();
      if (t) return t;
    }
    return null;
  }

  /**
   * The reply becomes more details of its ticket, in one transaction (stored, linked, audited; never triaged as
   * a new appeal). False when the ticket no longer takes details (closed): then the mail is a new appeal.
   */
  private async addToTicket(msg: InboundMessage, ticket: { number: string; resident_id: number | null }): Promise<boolean> {
    if (ticket.resident_id === null) return false;
    try {
      const r = await addDetails(this.ctx, ticket.number, ticket.resident_id, { ...msg, raw: { ...msg.raw, ticket_number: ticket.number } });
      if (!r.duplicate) this.ctx.log.info({ channel: CHANNEL, message: r.messageId, ticket: ticket.number }, 'reply added to its ticket');
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_transition') return false;
      throw err;
    }
  }

  /** The open session, or a new one with the mailbox selected; a changed UIDVALIDITY restarts the cursor. */
  private async session(): Promise<ImapFlow> {
    if (this.client?.usable && this.client.mailbox) return this.client;
    await this.disconnect(false);
    const { host, port, secure, doSTARTTLS, user, pass, mailbox } = this.target;
    const client = new ImapFlow({
      host,
      port,
      secure,
      doSTARTTLS,
      auth: { user, pass },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 120_000,
    });
    client.on('error', (err) => this.ctx.log.warn({ err, channel: CHANNEL }, 'IMAP connection error'));
    this.client = client;
    await client.connect();
    const box = await client.mailboxOpen(mailbox);
    const validity = String(box.uidValidity);
    const known = await readCursor(this.ctx.db, CHANNEL, this.key('uidvalidity'));
    if (known !== validity) {
      if (known !== null) this.ctx.log.warn({ channel: CHANNEL, from: known, to: validity }, 'UIDVALIDITY changed: reading the unread mail again');
      // Forget the old UID first: a crash in between only repeats the reset. Message-IDs keep mail from duplicating.
      await this.ctx.db.deleteFrom('channel_cursors').where('channel', '=', CHANNEL).where('key', '=', this.key('uid')).execute();
      await writeCursor(this.ctx.db, CHANNEL, this.key('uidvalidity'), validity);
    }
    return client;
  }

  private async disconnect(politely: boolean) {
    const c = this.client;
    this.client = null;
    if (!c) return;
    if (politely && c.usable) await c.logout().catch(() => c.close());
    else c.close();
  }
}
