// Outbound e-mail: sends one outbox row (an acknowledgement or a status update) to the resident by SMTP, as a
// reply in the resident's own thread (In-Reply-To/References), with a Message-ID that names the ticket.
// SMTP is not idempotent, so a row already recorded in the conversation is never sent again.
import type { Transporter } from 'nodemailer';
import type { Context } from '../../context.js';
import { type OutboxRow, recordInConversation } from '../../outbox/relay.js';
import { replyContext } from '../connector.js';
import { CHANNEL, mailDomain, ourMessageId, replySubject } from './mail.js';

export class MailSender {
  private readonly domain: string;

  constructor(
    private readonly ctx: Context,
    private readonly transport: Transporter,
    private readonly from: string,
  ) {
    this.domain = mailDomain(from);
  }

  async deliver(row: OutboxRow): Promise<void> {
    const db = this.ctx.db;
    const recorded = await db
      .selectFrom('messages')
      .select('id')
      .where('channel', '=', row.channel)
      .where('external_id', '=', `out:${row.idempotency_key}`)
      .executeTakeFirst();
    if (recorded) return; // sent before (the relay lost the "sent" mark): never twice
    const reply = await replyContext(db, row);
    if (!reply.ticket || !reply.source) throw new Error(`outbox row ${row.id}: no ticket to answer by e-mail`);
    const raw = reply.source.raw;
    const sender = raw.from as { address?: unknown } | undefined;
    const to = typeof sender?.address === 'string' ? sender.address : reply.channelUserId;
    if (!to) throw new Error(`ticket ${reply.ticket.number}: no e-mail address to answer`);
    const original = typeof raw.message_id === 'string' ? raw.message_id : null;
    const references = [...(Array.isArray(raw.references) ? raw.references.filter((r): r is string => typeof r === 'string') : [])];
    if (original && !references.includes(original)) references.push(original);
    const messageId = ourMessageId(reply.ticket.number, row.id, this.domain);
    const language = row.payload.language;
    const info = await this.transport.sendMail({
      from: this.from,
      to,
      subject: replySubject(typeof raw.subject === 'string' ? raw.subject : null, reply.ticket.number),
      messageId,
      ...(original ? { inReplyTo: original } : {}),
      ...(references.length ? { references } : {}),
      text: row.payload.text,
      html: htmlBody(row.payload.text, language),
      headers: {
        // RFC 3834: an answer a machine wrote; well-behaved autoresponders do not answer it back.
        'Auto-Submitted':
          row.payload.template === 'acknowledgement' || row.payload.template === 'acknowledgement.pending' ? 'auto-replied' : 'auto-generated',
        'Content-Language': language,
      },
    });
    await recordInConversation(db, row, { message_id: messageId, to, smtp_response: info.response ?? null });
    this.ctx.log.info({ channel: CHANNEL, outbox: row.id, ticket: reply.ticket.number }, 'mail sent');
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The same words as simple HTML, for clients that show only the HTML part. */
export function htmlBody(text: string, language: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/[&<>"']/g, (c) => ESCAPES[c] as string).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html>\n<html lang="${language.replace(/[^a-z-]/gi, '')}"><head><meta charset="utf-8"></head>\n<body>\n${paragraphs}\n</body></html>\n`;
}
