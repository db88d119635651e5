// Staff work notifications by e-mail (STAFF_MAIL): an outbox row with the target { staff_user_id } goes to the
// address of that user's account, read when it is sent (the outbox keeps no address). SMTP is not idempotent, so a
// row the server accepted is recorded in staff_notifications and never sent again; a user who is gone or disabled
// by then is skipped with a log line (retrying cannot help).
import type { Transporter } from 'nodemailer';
import { reportFiles } from '../../analytics/report-archive.js';
import type { Context } from '../../context.js';
import type { OutboxRow } from '../../outbox/relay.js';
import { CHANNEL, mailDomain } from './mail.js';
import { htmlBody } from './outbound.js';

export const isStaffTarget = (target: Record<string, unknown>) => typeof target.staff_user_id === 'number';

export class StaffMailSender {
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
    const userId = row.target.staff_user_id as number;
    const done = await db
      .selectFrom('staff_notifications')
      .select('platform_id')
      .where('idempotency_key', '=', row.idempotency_key)
      .executeTakeFirst();
    if (done) return;
    const user = await db.selectFrom('users').select(['email', 'disabled']).where('id', '=', userId).executeTakeFirst();
    if (!user || user.disabled) {
      this.ctx.log.info({ outbox: row.id, user: userId }, 'staff e-mail dropped: the account is gone or disabled');
      return;
    }
    const messageId = `<staff.${row.id}@${this.domain}>`;
    const language = row.payload.language;
    const subject = typeof row.payload.subject === 'string' ? row.payload.subject : (row.payload.text.split('\n')[0] ?? 'Qala');
    await this.transport.sendMail({
      from: this.from,
      to: user.email,
      subject,
      messageId,
      text: row.payload.text,
      html: htmlBody(row.payload.text, language),
      // The daily digest's files (report_ids), read from the archive now: the outbox row keeps only their ids.
      attachments: Array.isArray(row.payload.report_ids) ? await reportFiles(db, row.payload.report_ids.map(Number)) : [],
      // RFC 3834: written by a machine; an autoresponder must not answer it (its answer would become an appeal).
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': language },
    });
    await db
      .insertInto('staff_notifications')
      .values({
        idempotency_key: row.idempotency_key,
        user_id: userId,
        chat_id: user.email,
        platform_id: messageId,
        ticket_id: row.ticket_id,
        channel: CHANNEL,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    this.ctx.log.info({ channel: CHANNEL, outbox: row.id, user: userId }, 'staff mail sent');
  }
}
