// The e-mail channel: residents write to the city's mailbox (read over IMAP) and get their acknowledgement and
// status updates as replies in the same thread (sent over SMTP). On with IMAP_URL (inbound) and/or SMTP_URL and
// MAIL_FROM (outbound); see docs/channels/email.md.
import type { Connector, ConnectorFactory } from '../connector.js';
import { MailboxPoller } from './inbound.js';
import { CHANNEL, mailAddress } from './mail.js';
import { MailSender } from './outbound.js';
import { imapTarget, smtpTransport } from './servers.js';
import { isStaffTarget, StaffMailSender } from './staff.js';

export const emailConnector: ConnectorFactory = (ctx) => {
  const { IMAP_URL, SMTP_URL, MAIL_FROM, MAIL_POLL_SECONDS } = ctx.settings;
  if (!IMAP_URL && !SMTP_URL) return null;
  const transport = SMTP_URL && MAIL_FROM ? smtpTransport(SMTP_URL) : null;
  const sender = transport && MAIL_FROM ? new MailSender(ctx, transport, MAIL_FROM) : null;
  // Staff work notifications (STAFF_MAIL) go through the same server, to the staff member's own address.
  const staff = transport && MAIL_FROM ? new StaffMailSender(ctx, transport, MAIL_FROM) : null;
  if (SMTP_URL && !MAIL_FROM) ctx.log.warn({ channel: CHANNEL }, 'SMTP_URL is set but MAIL_FROM is not: no e-mail is sent');
  const poller = IMAP_URL ? new MailboxPoller(ctx, imapTarget(IMAP_URL), MAIL_FROM ? mailAddress(MAIL_FROM) : null, MAIL_POLL_SECONDS * 1000) : null;
  const connector: Connector = {
    channel: CHANNEL,
    async deliver(row) {
      if (isStaffTarget(row.target)) {
        if (!staff) throw new Error('staff e-mail needs SMTP_URL and MAIL_FROM');
        return staff.deliver(row);
      }
      if (!sender) throw new Error('e-mail replies need SMTP_URL and MAIL_FROM');
      await sender.deliver(row);
    },
  };
  if (poller) {
    connector.start = async () => poller.start();
    connector.stop = () => poller.stop();
  }
  return connector;
};
