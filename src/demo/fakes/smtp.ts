// A stand-in SMTP submission server (smtp-server, a real SMTP implementation), used by the tests and by the demo
// feed (src/demo/feed.ts), on 127.0.0.1 (a free port): it requires AUTH with the configured credentials, captures
// every accepted message (envelope and raw RFC 5322 source) and relays nothing, and can be told to refuse the next
// messages with a temporary 451 error, as a busy or rate-limiting server answers.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: Buffer;
  user: string | undefined;
}

export class FakeSmtp {
  readonly accepted: CapturedMail[] = [];
  /** Every DATA transaction, accepted or refused, for "sent once" assertions. */
  attempts = 0;
  private refuse = 0;
  /** Called with every accepted message (the demo logs them). */
  onReply: ((to: string, raw: Buffer) => void) | undefined;
  private readonly server: SMTPServer;

  private constructor(
    readonly user: string,
    readonly password: string,
  ) {
    this.server = new SMTPServer({
      // No TLS on loopback: the connector insists on TLS for any other host.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.password) return cb(null, { user: auth.username });
        const err = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
        return cb(err);
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.attempts++;
          if (this.refuse > 0) {
            this.refuse--;
            return cb(Object.assign(new Error('Requested action aborted: try again later'), { responseCode: 451 }));
          }
          const mail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
            user: typeof session.user === 'string' ? session.user : undefined,
          };
          this.accepted.push(mail);
          this.onReply?.(mail.to.join(', '), mail.raw);
          cb(null);
        });
      },
    });
    this.server.on('error', () => {});
  }

  static async start(opts: { user?: string; password?: string } = {}): Promise<FakeSmtp> {
    const fake = new FakeSmtp(opts.user ?? 'qala@city.example.test', opts.password ?? 'smtp-secret');
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server.server, 'listening');
    return fake;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** smtp://user:password@127.0.0.1:port, as SMTP_URL. */
  get url(): string {
    return `smtp://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }

  /** Answer the next `n` messages with 451 (temporary failure: the sender must try again later). */
  refuseNext(n: number): void {
    this.refuse = n;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
