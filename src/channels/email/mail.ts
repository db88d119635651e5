// What an e-mail means to Qala, as plain functions over a parsed message (no network, no database): the inbound
// message it becomes (or why it is skipped), the thread it belongs to, the ticket a reply answers, and the
// Message-IDs Qala gives its own mail so a resident's reply finds its ticket again.
import { createHash } from 'node:crypto';
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';
import type { InboundMessage } from '../../inbox/intake.js';

export const CHANNEL = 'email';
/** Photos and documents a resident attaches; anything else (archives, programs) is not kept. */
const KEPT_TYPES = /^(image\/(jpeg|png|gif|webp|heic|heif)|application\/pdf)$/i;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;
/** The HTML of a message is kept in raw (for the operator) only up to this size. */
const MAX_RAW_HTML = 200_000;

export type ReadMail = { kind: 'skip'; reason: string } | { kind: 'message'; message: InboundMessage; replyTo: TicketReference[]; dropped: string[] };

export interface TicketReference {
  number: string;
  messageId: string;
}

/** Our own Message-ID for an outgoing mail: it names the ticket, so the resident's reply (which quotes it in
 * In-Reply-To/References) is linked back to it. Stable per outbox row, so a resend after a crash reuses it. */
export function ourMessageId(ticketNumber: string, outboxId: number, domain: string): string {
  return `<ticket.${ticketNumber}.${outboxId}@${domain}>`;
}

const OUR_ID = /^<ticket\.([A-Z]{2,5}-\d{4}-\d{6,})\.(\d+)@[^>\s]+>$/;

/** The ticket numbers our own mail carried in the ids a message answers (nearest first). */
export function ticketReferences(ids: string[]): TicketReference[] {
  const out: TicketReference[] = [];
  for (const id of ids) {
    const m = OUR_ID.exec(id);
    if (m && !out.some((r) => r.messageId === id)) out.push({ number: m[1] as string, messageId: id });
  }
  return out;
}

/** The domain part of MAIL_FROM ("Qala <qala@city.kz>" → "city.kz"), for our Message-IDs. */
export function mailDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? 'qala';
}

export function mailAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** `Re: <original subject> [AST-…]`, without stacking "Re:" or the number when the subject already has them. */
export function replySubject(original: string | null | undefined, ticketNumber: string): string {
  let subject = (original ?? '').replace(/\s+/g, ' ').trim();
  while (/^(re|ha|отв|ответ|aw|sv)\s*:\s*/i.test(subject)) subject = subject.replace(/^[^:]+:\s*/, '');
  subject = subject.replace(`[${ticketNumber}]`, '').trim();
  return subject ? `Re: ${subject} [${ticketNumber}]` : `Re: [${ticketNumber}]`;
}

function headerText(mail: ParsedMail, name: string): string | null {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return String(v);
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): { address: string; name: string } | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const group of list) {
    for (const v of group.value) {
      if (v.address) return { address: v.address, name: v.name };
      for (const g of v.group ?? []) if (g.address) return { address: g.address, name: g.name };
    }
  }
  return null;
}

/** Mail that must not become a ticket: auto-replies and bounces (answering them would loop), our own mail. */
export function whySkip(mail: ParsedMail, ownAddress: string | null): string | null {
  const auto = headerText(mail, 'auto-submitted');
  if (auto && auto.trim().toLowerCase() !== 'no') return `auto-submitted: ${auto}`;
  const precedence = headerText(mail, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `precedence: ${precedence}`;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'auto-reply header';
  const type = mail.headers.get('content-type') as { value?: string } | undefined;
  if (type?.value?.toLowerCase() === 'multipart/report') return 'delivery report';
  const from = firstAddress(mail.from);
  if (!from) return 'no sender address';
  const address = from.address.toLowerCase();
  if (/^(mailer-daemon|postmaster)@/.test(address)) return 'delivery report';
  if (ownAddress && address === ownAddress) return 'sent by the city itself';
  return null;
}

/** Turns a parsed mail into the inbound message Qala stores, or says why it is skipped. */
export function readMail(mail: ParsedMail, source: Buffer, opts: { ownAddress: string | null; mailbox: string; uid: number }): ReadMail {
  const skip = whySkip(mail, opts.ownAddress);
  if (skip) return { kind: 'skip', reason: skip };
  const sender = firstAddress(mail.from) as { address: string; name: string };
  const from = { address: clean(sender.address), name: clean(sender.name ?? '') };
  const messageId = mail.messageId?.trim() || null;
  const references = (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []).map((r) => r.trim());
  const inReplyTo = mail.inReplyTo?.trim().split(/\s+/)[0] ?? null;
  // The thread is named after its first message: References lists the ancestors oldest first.
  const threadRef = references[0] ?? inReplyTo ?? messageId;
  const answered = inReplyTo ? [inReplyTo, ...references.filter((r) => r !== inReplyTo).reverse()] : [...references].reverse();
  const body = clean(mail.text ?? '').trim();
  const subject = clean(mail.subject ?? '').trim();
  const { kept, dropped } = keptAttachments(mail.attachments);
  return {
    kind: 'message',
    replyTo: ticketReferences(answered),
    dropped,
    message: {
      channel: CHANNEL,
      externalId: messageId ?? `sha256:${createHash('sha256').update(source).digest('hex')}`,
      threadRef,
      // The resident's words as written; a mail with no body is about its subject.
      text: body || subject,
      sender: { email: from.address, name: from.name || undefined, channelUserId: from.address.toLowerCase() },
      attachments: kept.map((a) => ({
        contentType: a.contentType.toLowerCase(),
        filename: a.filename ? clean(a.filename) : undefined,
        bytes: a.content,
      })),
      audience: 'direct',
      receivedAt: mail.date && !Number.isNaN(mail.date.getTime()) && mail.date.getTime() < Date.now() ? mail.date : new Date(),
      raw: {
        mailbox: opts.mailbox,
        uid: opts.uid,
        message_id: messageId,
        in_reply_to: inReplyTo,
        references,
        subject,
        from: { address: from.address, name: from.name || null },
        to: mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).map((t) => clean(t.text)) : [],
        date: mail.date?.toISOString() ?? null,
        html: typeof mail.html === 'string' && mail.html.length <= MAX_RAW_HTML ? clean(mail.html) : null,
        size: source.length,
        attachments_dropped: dropped,
      },
    },
  };
}

/** PostgreSQL text and jsonb refuse NUL characters; a mail may carry them. */
function clean(s: string): string {
  return s.replaceAll('\u0000', '');
}

function keptAttachments(all: Attachment[]): { kept: Attachment[]; dropped: string[] } {
  const kept: Attachment[] = [];
  const dropped: string[] = [];
  for (const a of all) {
    const name = a.filename ?? a.contentType;
    if (!KEPT_TYPES.test(a.contentType)) dropped.push(`${name}: type ${a.contentType} not kept`);
    else if (a.content.length > MAX_ATTACHMENT_BYTES) dropped.push(`${name}: larger than ${MAX_ATTACHMENT_BYTES} bytes`);
    else if (kept.length >= MAX_ATTACHMENTS) dropped.push(`${name}: more than ${MAX_ATTACHMENTS} attachments`);
    else kept.push(a);
  }
  return { kept, dropped };
}
