// Where the mail servers are, from IMAP_URL and SMTP_URL, and how to reach them: TLS everywhere except a server on
// this machine (the test fakes, a local relay).
import nodemailer, { type Transporter } from 'nodemailer';

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  /** Plain imap:// is allowed on loopback only; elsewhere STARTTLS is required. */
  doSTARTTLS: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

export function imapTarget(url: string): ImapTarget {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new Error('IMAP_URL must start with imaps:// (or imap:// for a local server)');
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: Number(u.port) || (secure ? 993 : 143),
    secure,
    doSTARTTLS: !secure && !isLoopback(u.hostname),
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export function smtpTransport(url: string): Transporter {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtps:// or smtp://');
  const secure = u.protocol === 'smtps:';
  return nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    // Plain smtp:// to anything but this machine must upgrade with STARTTLS: credentials never go in clear.
    requireTLS: !secure && !isLoopback(u.hostname),
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}
