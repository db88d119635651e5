// A stand-in IMAP4rev1 server (RFC 3501) over node:net on 127.0.0.1 (a free port), serving one mailbox that a test
// or the demo feed (src/demo/feed.ts) fills. It implements what the e-mail connector's client (imapflow) sends:
// CAPABILITY, LOGIN, LIST, SELECT/EXAMINE, UID SEARCH, UID FETCH (UID, FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE,
// BODY[], BODY.PEEK[], BODY[HEADER]), UID STORE, NOOP, CLOSE and LOGOUT; anything else answers BAD. Every command
// is recorded for assertions.
import { once } from 'node:events';
import net from 'node:net';

export interface FakeMail {
  uid: number;
  raw: Buffer;
  flags: Set<string>;
  internalDate: Date;
}

interface Session {
  socket: net.Socket;
  user: string | null;
  selected: boolean;
  readOnly: boolean;
  knownExists: number;
}

type Token = string | Buffer | Token[];

export interface RecordedCommand {
  command: string;
  args: string;
}

export class FakeImap {
  readonly messages: FakeMail[] = [];
  readonly commands: RecordedCommand[] = [];
  uidValidity = 1;
  private nextUid = 1;
  private readonly server: net.Server;
  private readonly sessions = new Set<Session>();

  private constructor(
    readonly user: string,
    readonly password: string,
    readonly mailbox: string,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  static async start(opts: { user?: string; password?: string; mailbox?: string } = {}): Promise<FakeImap> {
    const fake = new FakeImap(opts.user ?? 'city@example.test', opts.password ?? 'imap-secret', opts.mailbox ?? 'INBOX');
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** imap://user:password@127.0.0.1:port/MAILBOX, as IMAP_URL. */
  get url(): string {
    return `imap://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${encodeURIComponent(this.mailbox)}`;
  }

  /** Delivers a message into the mailbox; returns its UID. */
  add(raw: Buffer | string, opts: { flags?: string[]; internalDate?: Date } = {}): number {
    const uid = this.nextUid++;
    this.messages.push({
      uid,
      raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\r?\n/g, '\r\n')),
      flags: new Set(opts.flags ?? []),
      internalDate: opts.internalDate ?? new Date(),
    });
    return uid;
  }

  byUid(uid: number): FakeMail | undefined {
    return this.messages.find((m) => m.uid === uid);
  }

  /** The mailbox was rebuilt (e.g. restored from a backup): new UIDVALIDITY, every message renumbered. Sessions
   * with the mailbox selected are closed, as servers do when they cannot keep the UIDs. */
  renumber(): void {
    this.uidValidity += 1;
    for (const m of this.messages) m.uid = this.nextUid++;
    for (const s of this.sessions) {
      s.socket.end('* BYE mailbox UIDVALIDITY changed\r\n');
    }
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket) {
    const session: Session = { socket, user: null, selected: false, readOnly: false, knownExists: 0 };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('error', () => socket.destroy());
    socket.write('* OK [CAPABILITY IMAP4rev1] Qala fake IMAP ready\r\n');
    let buffer = Buffer.alloc(0);
    let pending: Buffer[] = []; // parts of a command line that carries literals
    let literalBytes = 0;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (literalBytes > 0) {
          if (buffer.length < literalBytes) return;
          pending.push(buffer.subarray(0, literalBytes));
          buffer = buffer.subarray(literalBytes);
          literalBytes = 0;
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.subarray(0, eol);
        buffer = buffer.subarray(eol + 2);
        const literal = /\{(\d+)(\+?)\}$/.exec(line.toString('latin1'));
        pending.push(line);
        if (literal) {
          literalBytes = Number(literal[1]);
          pending.push(Buffer.from('\r\n'));
          if (!literal[2]) socket.write('+ Ready for literal data\r\n');
          continue;
        }
        const full = Buffer.concat(pending);
        pending = [];
        this.handle(session, full);
      }
    });
  }

  private handle(s: Session, line: Buffer) {
    let tokens: Token[];
    try {
      tokens = tokenize(line);
    } catch {
      s.socket.write('* BAD malformed command\r\n');
      return;
    }
    const tag = typeof tokens[0] === 'string' ? tokens[0] : '*';
    let command = String(tokens[1] ?? '').toUpperCase();
    let args = tokens.slice(2);
    let uidMode = false;
    if (command === 'UID') {
      uidMode = true;
      command = String(args[0] ?? '').toUpperCase();
      args = args.slice(1);
    }
    const argText = line
      .toString('utf8')
      .split(' ')
      .slice(uidMode ? 3 : 2)
      .join(' ');
    this.commands.push({ command: uidMode ? `UID ${command}` : command, args: command === 'LOGIN' ? '***' : argText });
    const out = (text: string | Buffer) => s.socket.write(text);
    const ok = (text: string) => out(`${tag} OK ${text}\r\n`);
    const no = (text: string) => out(`${tag} NO ${text}\r\n`);
    const bad = (text: string) => out(`${tag} BAD ${text}\r\n`);
    const needAuth = !['CAPABILITY', 'NOOP', 'LOGOUT', 'LOGIN'].includes(command);
    if (needAuth && !s.user) return bad('not authenticated');
    const needSelected = ['SEARCH', 'FETCH', 'STORE', 'CLOSE'].includes(command);
    if (needSelected && !s.selected) return bad('no mailbox selected');
    if (s.selected && command !== 'LOGOUT') this.announceExists(s);

    switch (command) {
      case 'CAPABILITY':
        out('* CAPABILITY IMAP4rev1\r\n');
        return ok('CAPABILITY completed');
      case 'NOOP':
        return ok('NOOP completed');
      case 'LOGOUT':
        out('* BYE logging out\r\n');
        ok('LOGOUT completed');
        s.socket.end();
        return;
      case 'LOGIN': {
        const [user, pass] = args.map(str);
        if (user !== this.user || pass !== this.password) return no('[AUTHENTICATIONFAILED] invalid credentials');
        s.user = user;
        return ok('[CAPABILITY IMAP4rev1] LOGIN completed');
      }
      case 'LIST':
      case 'LSUB': {
        const pattern = str(args[1]);
        if (pattern === '') out(`* ${command} (\\Noselect) "/" ""\r\n`);
        else if (matches(pattern, this.mailbox)) out(`* ${command} (\\HasNoChildren) "/" ${quote(this.mailbox)}\r\n`);
        return ok(`${command} completed`);
      }
      case 'SELECT':
      case 'EXAMINE': {
        const name = str(args[0]);
        if (name.toUpperCase() !== this.mailbox.toUpperCase()) {
          s.selected = false;
          return no('[NONEXISTENT] no such mailbox');
        }
        s.selected = true;
        s.readOnly = command === 'EXAMINE';
        s.knownExists = this.messages.length;
        const firstUnseen = this.messages.findIndex((m) => !m.flags.has('\\Seen'));
        out('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n');
        out(`* ${this.messages.length} EXISTS\r\n* 0 RECENT\r\n`);
        if (firstUnseen >= 0) out(`* OK [UNSEEN ${firstUnseen + 1}] first unseen\r\n`);
        out(`* OK [UIDVALIDITY ${this.uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${this.nextUid}] predicted next UID\r\n`);
        out(`* OK [PERMANENTFLAGS (${s.readOnly ? '' : '\\Seen \\Flagged \\Answered \\Deleted \\Draft'})] limited\r\n`);
        return ok(`[${s.readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${command} completed`);
      }
      case 'CLOSE':
        s.selected = false;
        return ok('CLOSE completed');
      case 'SEARCH': {
        const found = this.search(args, uidMode);
        out(`* SEARCH${found.map((n) => ` ${n}`).join('')}\r\n`);
        return ok(`${uidMode ? 'UID ' : ''}SEARCH completed`);
      }
      case 'FETCH': {
        const set = str(args[0]);
        const items = Array.isArray(args[1]) ? args[1].map(str) : expandMacro(str(args[1]));
        if (!items.length) return bad('nothing to fetch');
        for (const [seq, m] of this.select(set, uidMode)) out(this.fetchResponse(s, seq, m, items, uidMode));
        return ok(`${uidMode ? 'UID ' : ''}FETCH completed`);
      }
      case 'STORE': {
        if (s.readOnly) return no('mailbox is read-only');
        const set = str(args[0]);
        const op = str(args[1]).toUpperCase();
        const flags = (Array.isArray(args[2]) ? args[2] : args.slice(2)).map(str);
        const silent = op.endsWith('.SILENT');
        for (const [seq, m] of this.select(set, uidMode)) {
          if (op.startsWith('+')) for (const f of flags) m.flags.add(f);
          else if (op.startsWith('-')) for (const f of flags) m.flags.delete(f);
          else m.flags = new Set(flags);
          if (!silent) out(`* ${seq} FETCH (${uidMode ? `UID ${m.uid} ` : ''}FLAGS (${[...m.flags].join(' ')}))\r\n`);
        }
        return ok(`${uidMode ? 'UID ' : ''}STORE completed`);
      }
      default:
        return bad(`${command || 'empty command'} is not supported here`);
    }
  }

  /** New messages are announced with EXISTS before the tagged answer of any command (RFC 3501 §7.3.1). */
  private announceExists(s: Session) {
    if (this.messages.length !== s.knownExists) {
      s.knownExists = this.messages.length;
      s.socket.write(`* ${s.knownExists} EXISTS\r\n`);
    }
  }

  /** Messages of a sequence set (by UID or by sequence number), as [sequence number, message], in mailbox order. */
  private select(set: string, byUid: boolean): [number, FakeMail][] {
    const max = byUid ? (this.messages.at(-1)?.uid ?? 0) : this.messages.length;
    const ranges = set.split(',').map((part) => {
      const [a, b = a] = part.split(':').map((x) => (x === '*' ? max : Number(x)));
      return [Math.min(a as number, b as number), Math.max(a as number, b as number)] as const;
    });
    const out: [number, FakeMail][] = [];
    this.messages.forEach((m, i) => {
      const key = byUid ? m.uid : i + 1;
      if (ranges.some(([lo, hi]) => key >= lo && key <= hi)) out.push([i + 1, m]);
    });
    return out;
  }

  /** SEARCH with ALL, UID <set>, <seq set>, SEEN, UNSEEN (ANDed, as RFC 3501 says). */
  private search(args: Token[], uidMode: boolean): number[] {
    let hits = this.messages.map((m, i) => [i + 1, m] as [number, FakeMail]);
    for (let i = 0; i < args.length; i++) {
      const key = str(args[i]).toUpperCase();
      if (key === 'ALL' || key === 'CHARSET') {
        if (key === 'CHARSET') i++;
        continue;
      }
      if (key === 'UID') {
        const inSet = new Set(this.select(str(args[++i]), true).map(([, m]) => m));
        hits = hits.filter(([, m]) => inSet.has(m));
      } else if (key === 'SEEN') hits = hits.filter(([, m]) => m.flags.has('\\Seen'));
      else if (key === 'UNSEEN') hits = hits.filter(([, m]) => !m.flags.has('\\Seen'));
      else if (/^[\d*:,]+$/.test(key)) {
        const inSet = new Set(this.select(key, false).map(([, m]) => m));
        hits = hits.filter(([, m]) => inSet.has(m));
      }
    }
    return hits.map(([seq, m]) => (uidMode ? m.uid : seq));
  }

  private fetchResponse(s: Session, seq: number, m: FakeMail, items: string[], uidMode: boolean): Buffer {
    const parts: (string | Buffer)[] = [];
    const wanted = items.map((i) => i.toUpperCase());
    if (uidMode && !wanted.includes('UID')) wanted.unshift('UID');
    let setSeen = false;
    for (const item of wanted) {
      if (item === 'UID') parts.push(`UID ${m.uid}`);
      else if (item === 'FLAGS') parts.push(`FLAGS (${[...m.flags].join(' ')})`);
      else if (item === 'INTERNALDATE') parts.push(`INTERNALDATE "${imapDate(m.internalDate)}"`);
      else if (item === 'RFC822.SIZE') parts.push(`RFC822.SIZE ${m.raw.length}`);
      else if (item === 'ENVELOPE') parts.push(`ENVELOPE ${envelope(m.raw)}`);
      else if (item.startsWith('BODY')) {
        const section = /\[(.*)\]/.exec(item)?.[1] ?? '';
        const header = m.raw.subarray(0, headerEnd(m.raw));
        const body = section === '' ? m.raw : section === 'HEADER' ? header : section === 'TEXT' ? m.raw.subarray(headerEnd(m.raw)) : null;
        if (body === null) continue;
        if (!item.startsWith('BODY.PEEK') && !s.readOnly && !m.flags.has('\\Seen')) setSeen = true;
        parts.push(Buffer.concat([Buffer.from(`BODY[${section}] {${body.length}}\r\n`), body]));
      }
    }
    if (setSeen) {
      m.flags.add('\\Seen');
      if (!wanted.includes('FLAGS')) parts.push(`FLAGS (${[...m.flags].join(' ')})`);
    }
    const joined: Buffer[] = [Buffer.from(`* ${seq} FETCH (`)];
    parts.forEach((p, i) => {
      if (i) joined.push(Buffer.from(' '));
      joined.push(Buffer.isBuffer(p) ? p : Buffer.from(p));
    });
    joined.push(Buffer.from(')\r\n'));
    return Buffer.concat(joined);
  }
}

function str(t: Token | undefined): string {
  if (t === undefined) return '';
  if (Buffer.isBuffer(t)) return t.toString('utf8');
  if (Array.isArray(t)) return t.map(str).join(' ');
  return t;
}

function expandMacro(item: string): string[] {
  switch (item.toUpperCase()) {
    case 'ALL':
      return ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'];
    case 'FAST':
      return ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'];
    case 'FULL':
      return ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'];
    default:
      return item ? [item] : [];
  }
}

function matches(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+?^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/%/g, '[^/]*')}$`,
    'i',
  );
  return re.test(name);
}

/** Tokens of one command: atoms (with [sections] kept whole), "quoted strings", {n} literals and (lists). */
function tokenize(line: Buffer): Token[] {
  const text = line.toString('latin1');
  let i = 0;
  const parse = (closing: string | null): Token[] => {
    const out: Token[] = [];
    while (i < text.length) {
      const c = text[i] as string;
      if (c === ' ') {
        i++;
      } else if (c === ')') {
        if (closing !== ')') throw new Error('unbalanced )');
        i++;
        return out;
      } else if (c === '(') {
        i++;
        out.push(parse(')'));
      } else if (c === '"') {
        let value = '';
        i++;
        while (text[i] !== '"') {
          if (i >= text.length) throw new Error('unterminated string');
          if (text[i] === '\\') i++;
          value += text[i++];
        }
        i++;
        out.push(Buffer.from(value, 'latin1').toString('utf8'));
      } else if (c === '{') {
        const m = /^\{(\d+)\+?\}\r\n/.exec(text.slice(i));
        if (!m) throw new Error('bad literal');
        i += m[0].length;
        const n = Number(m[1]);
        out.push(line.subarray(i, i + n));
        i += n;
      } else {
        let atom = '';
        while (i < text.length && text[i] !== ' ' && text[i] !== ')' && text[i] !== '(') {
          if (text[i] === '[') {
            const end = text.indexOf(']', i);
            if (end < 0) throw new Error('unterminated section');
            atom += text.slice(i, end + 1);
            i = end + 1;
          } else atom += text[i++];
        }
        out.push(Buffer.from(atom, 'latin1').toString('utf8'));
      }
    }
    if (closing) throw new Error('unbalanced (');
    return out;
  };
  return parse(null);
}

function headerEnd(raw: Buffer): number {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? raw.length : i + 4;
}

function imapDate(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function quote(s: string | null | undefined): string {
  if (s === null || s === undefined) return 'NIL';
  if (/[\r\n]/.test(s) || /[^\x20-\x7e]/.test(s)) return `{${Buffer.byteLength(s)}}\r\n${s}`;
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

/** The ENVELOPE structure (RFC 3501 §7.4.2) from the message's header, enough for a client to list mail. */
function envelope(raw: Buffer): string {
  const headers = new Map<string, string>();
  const text = raw
    .subarray(0, headerEnd(raw))
    .toString('utf8')
    .replace(/\r\n[ \t]+/g, ' ');
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const key = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
    }
  }
  const addresses = (value: string | undefined) => {
    if (!value) return 'NIL';
    const list = value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((a) => {
      const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(a) ?? [null, null, a.trim()];
      const [mailbox, host] = (m[2] as string).split('@');
      return `(${quote(m[1] || null)} NIL ${quote(mailbox)} ${quote(host ?? null)})`;
    });
    return `(${list.join('')})`;
  };
  const from = addresses(headers.get('from'));
  return `(${[
    quote(headers.get('date')),
    quote(headers.get('subject')),
    from,
    headers.has('sender') ? addresses(headers.get('sender')) : from,
    headers.has('reply-to') ? addresses(headers.get('reply-to')) : from,
    addresses(headers.get('to')),
    addresses(headers.get('cc')),
    addresses(headers.get('bcc')),
    quote(headers.get('in-reply-to')),
    quote(headers.get('message-id')),
  ].join(' ')})`;
}
