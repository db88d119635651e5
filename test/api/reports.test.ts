// Reports over real HTTP on a real database, with a fake Bot API and a real SMTP server library on loopback: the
// daily digest of a known day built as PDF and XLSX in Kazakh and Russian (the PDF's text read back with pdftotext,
// page 1 rendered to PNG; the workbook read back with exceljs, numbers and Kazakh headers checked), the archive,
// the morning sweep delivering the day's files once by Telegram (documents) and e-mail (attachments), the ticket
// exports with the list's filters and scope — and none of it carrying a resident's name, phone, e-mail or flat.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherDigest } from '../../src/analytics/digest.js';
import { wilson } from '../../src/analytics/estimate.js';
import { digestSweep } from '../../src/analytics/report-sweep.js';
import type { Stance } from '../../src/analytics/stance.js';
import { FakeSmtp } from '../../src/demo/fakes/smtp.js';
import { FakeTelegram } from '../../src/demo/fakes/telegram.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

const DAY = '2027-03-10';
const at = (hhmm: string, day = DAY) => new Date(`${day}T${hhmm}:00+05:00`);
// The next morning, after the configured 08:30: the digest of 10 March is due.
const MORNING = at('08:31', '2027-03-11');
const WATER = 'astana-su-arnasy';
const HEAT = 'astana-teplotranzit';
const PERSONAL = ['Жанар', 'Секретова', '701 555 44 33', 'zhanar@example.kz', 'кв. 45', 'Секретный текст'];
const CHATS = { akim: 9101, deputy: 9102 };

let fake: FakeTelegram;
let smtp: FakeSmtp;
let c: TestCentre;
const tokens: Record<string, string> = {};
const dir = mkdtempSync(join(tmpdir(), 'qala-reports-'));
let seq = 0;

/** A ticket with exactly these times (and the resident and message it came from), written straight into the store. */
async function ticket(k: { org: string; category: string; district: string; status: string; created: Date; due: Date; resolved?: Date }) {
  seq += 1;
  const number = `AST-2027-8${String(seq).padStart(5, '0')}`;
  const db = c.ctx.db;
  const resident = await db
    .insertInto('residents')
    .values({ name: 'Жанар Секретова', phone: '+7 701 555 44 33', email: 'zhanar@example.kz' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const m = await db
    .insertInto('messages')
    .values({
      channel: 'web',
      external_id: `reports-${seq}`,
      direction: 'in',
      text: 'Секретный текст обращения, кв. 45',
      resident_id: resident.id,
      raw: '{}',
      stage: 'done',
      received_at: k.created,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('tickets')
    .values({
      number,
      status: k.status,
      category: k.category,
      organisation_id: k.org,
      district: k.district,
      address: 'Кенесары 40, кв. 45',
      urgency: 'normal',
      language: 'kk',
      channel: 'web',
      source_message_id: m.id,
      resident_id: resident.id,
      routing_trace: JSON.stringify([]),
      first_response_due: k.due,
      resolution_due: k.due,
      created_at: k.created,
      updated_at: k.resolved ?? k.created,
      assigned_at: k.created,
      accepted_at: k.resolved ?? null,
      resolved_at: k.resolved ?? null,
    })
    .execute();
  return number;
}

/** An opinion question with stances planted on messages of known days; none of it read by the model. */
async function opinionQuestion(title: string, active: boolean, planted: { day: string; stance: Stance; resident?: number }[]) {
  const db = c.ctx.db;
  const q = await db
    .insertInto('opinion_questions')
    .values({ title: JSON.stringify({ ru: title, kk: title, en: title }), keywords: ['тұрақ'], active, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const p of planted) {
    seq += 1;
    const resident =
      p.resident ?? (await db.insertInto('residents').values({ name: 'Жанар Секретова' }).returning('id').executeTakeFirstOrThrow()).id;
    const m = await db
      .insertInto('messages')
      .values({
        channel: 'telegram',
        external_id: `opinion-${seq}`,
        direction: 'in',
        text: 'Секретный текст о парковке',
        resident_id: resident,
        raw: '{}',
        stage: 'done',
        received_at: at('12:00', p.day),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('opinion_matches')
      .values({ question_id: q.id, message_id: m.id, stance: p.stance, source: 'analyst', score: 1, confidence: 1, updated_at: new Date() })
      .execute();
  }
  // Nothing left for the opinion sweep to read.
  const last = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow();
  await db
    .updateTable('opinion_questions')
    .set({ scanned_to: Number(last.id) })
    .where('id', '=', q.id)
    .execute();
}
const times = (k: number, p: { day: string; stance: Stance }) => Array.from({ length: k }, () => ({ ...p }));

/** Poppler's pdftotext and pdftoppm read the PDFs back. Without them the two PDF tests are skipped with a message,
 * except under CI, where .ci/run installs Debian's poppler-utils (as it does chromium) and they must run. */
const POPPLER = spawnSync('pdftotext', ['-v']).error === undefined || Boolean(process.env.CI);
if (!POPPLER) console.warn('PDF read-back tests skipped: install poppler-utils (apt-get install -y poppler-utils) to run them');
const pdfText = (bytes: Buffer, name: string) => {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
};
const noPersonalData = (text: string) => {
  for (const p of PERSONAL) expect(text).not.toContain(p);
};
async function download(id: number, token = tokens.supervisor) {
  const res = await fetch(`${c.url}/api/v1/analytics/reports/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}
async function workbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
const cells = (ws: ExcelJS.Worksheet, row: number) => (ws.getRow(row).values as unknown[]).slice(1);

const numbers: string[] = [];

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  smtp = await FakeSmtp.start();
  c = await startTestCentre({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_URL: fake.url,
    TELEGRAM_WEBHOOK_SECRET: 'reports-secret',
    TELEGRAM_POLLING: false,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Qala Astana <qala@city.example.test>',
    STAFF_MAIL: true,
  });
  for (const email of ['supervisor@qala.demo', 'akim@qala.demo', 'executor.water@qala.demo', 'operator1@qala.demo']) {
    tokens[email.split('@')[0]?.split('.')[0] as string] = await c.login(email);
  }
  const db = c.ctx.db;
  // The demo's own appeals are history here: closed, so the known set below is the whole picture.
  await db
    .updateTable('tickets')
    .set({ status: 'closed', closed_at: new Date('2026-01-01T00:00:00Z') })
    .execute();
  await db.updateTable('incidents').set({ status: 'closed' }).execute();
  for (const [who, chat] of [
    ['akim@qala.demo', CHATS.akim],
    ['deputy.akim@qala.demo', CHATS.deputy],
  ] as const) {
    const u = await db.selectFrom('users').select('id').where('email', '=', who).executeTakeFirstOrThrow();
    await db
      .insertInto('staff_telegram')
      .values({ user_id: u.id, chat_id: String(chat), linked_at: new Date() })
      .execute();
  }
  c.ctx.now = () => MORNING;
  // 10 March: four received (one resolved on time, two now overdue, one on track); one from the day before, open.
  numbers.push(
    await ticket({
      org: WATER,
      category: 'WATR',
      district: 'esil',
      status: 'resolved',
      created: at('09:00'),
      due: at('18:00'),
      resolved: at('11:00'),
    }),
  );
  numbers.push(await ticket({ org: WATER, category: 'WATR', district: 'esil', status: 'in_progress', created: at('10:00'), due: at('15:00') }));
  numbers.push(await ticket({ org: HEAT, category: 'HEAT', district: 'saryarka', status: 'assigned', created: at('08:00'), due: at('17:00') }));
  numbers.push(
    await ticket({ org: WATER, category: 'WATR', district: 'almaty', status: 'assigned', created: at('12:00'), due: at('12:00', '2027-03-16') }),
  );
  numbers.push(
    await ticket({
      org: HEAT,
      category: 'HEAT',
      district: 'nura',
      status: 'assigned',
      created: at('12:00', '2027-03-09'),
      due: at('12:00', '2027-03-17'),
    }),
  );
  await db
    .insertInto('incidents')
    .values({
      id: 'AST-2027-I00001',
      status: 'assigned',
      category: 'WATR',
      organisation_id: WATER,
      district: 'esil',
      address: 'Кенесары 40, кв. 45',
      opened_by: 'grouping',
      created_at: at('10:05'),
      updated_at: at('10:05'),
    })
    .execute();
  await db
    .insertInto('spike_alerts')
    .values({
      category: 'WATR',
      district: 'esil',
      window_start: at('09:00'),
      window_end: at('12:00'),
      observed: 9,
      expected: 1.5,
      p_value: 0.001,
      details: '{}',
      message_ids: [],
      detected_at: at('12:05'),
    })
    .execute();
  // Paid parking: the 7 days ending on 10 March (4–10 March) against 25 February – 3 March. The week before, 10
  // residents for and 30 against; the last week 30 for and 10 against — one of those writing twice, still one voice;
  // a message of 11 March and one of 24 February are outside both weeks.
  const twice = (await db.insertInto('residents').values({ name: 'Жанар Секретова' }).returning('id').executeTakeFirstOrThrow()).id;
  await opinionQuestion('Ақылы тұрақ', true, [
    ...times(10, { day: '2027-02-25', stance: 'for' }),
    ...times(30, { day: '2027-03-03', stance: 'against' }),
    ...times(29, { day: '2027-03-04', stance: 'for' }),
    { day: '2027-03-09', stance: 'for', resident: twice },
    { day: '2027-03-10', stance: 'for', resident: twice },
    ...times(10, { day: '2027-03-10', stance: 'against' }),
    ...times(5, { day: '2027-03-11', stance: 'against' }),
    ...times(5, { day: '2027-02-24', stance: 'for' }),
  ]);
  // New bus routes: too few residents to compare; an inactive question is left out.
  await opinionQuestion('Жаңа автобус бағыттары', true, times(6, { day: '2027-03-08', stance: 'against' }));
  await opinionQuestion('Ескі сұрақ', false, times(40, { day: '2027-03-08', stance: 'against' }));
});
afterAll(async () => {
  await c?.close();
  await fake?.stop();
  await smtp?.close();
});

describe('the daily digest, built on demand', () => {
  const built: { id: number; language: string; format: string }[] = [];

  it('compares each active question’s weighted shares over the last 7 days with the 7 before, with intervals', async () => {
    const d = await gatherDigest(c.ctx, DAY, 'kk', MORNING);
    expect(d.opinion_weeks).toEqual({ previous: '2027-02-25 – 2027-03-03', current: '2027-03-04 – 2027-03-10' });
    expect(d.opinion.map((q) => q.question)).toEqual(['Ақылы тұрақ', 'Жаңа автобус бағыттары']);
    const [parking, buses] = d.opinion;
    expect(parking).toMatchObject({ previous_n: 40, current_n: 40, enough: true });
    const stance = (s: string) => parking?.stances.find((x) => x.stance === s);
    // Hand-computed: for 10/40 → 30/40, against 30/40 → 10/40, neutral 0 → 0. One district (none known): weights are
    // the residents' voices, the writer of two messages counting ½ each, so n_eff = 40² / (39 + 2 · ¼) = 40.51.
    const nEff = 1600 / 39.5;
    const ci = (p: number, n: number) => wilson(p, n).map((x) => Math.round(x * 10_000) / 10_000);
    expect(stance('for')).toEqual({
      stance: 'for',
      previous: { share: 0.25, ci: ci(0.25, 40) },
      current: { share: 0.75, ci: ci(0.75, nEff) },
      change: 0.5,
      direction: 'up',
    });
    expect(stance('against')).toMatchObject({ previous: { share: 0.75 }, current: { share: 0.25 }, change: -0.5, direction: 'down' });
    expect(stance('neutral')).toMatchObject({ previous: { share: 0 }, current: { share: 0 }, change: 0, direction: null });
    expect(buses).toEqual({ id: buses?.id, question: 'Жаңа автобус бағыттары', previous_n: 0, current_n: 6, enough: false, stances: [] });
  });

  it('builds the day in Kazakh and Russian as PDF and XLSX, and lists them in the archive', async () => {
    const r = await c.api('/api/v1/analytics/reports', { token: tokens.supervisor, body: { date: DAY, languages: ['kk', 'ru'] } });
    expect(r.status, r.text).toBe(201);
    built.push(...r.body.reports);
    expect(built.map((b) => `${b.language}.${b.format}`).sort()).toEqual(['kk.pdf', 'kk.xlsx', 'ru.pdf', 'ru.xlsx']);
    const list = await c.api(`/api/v1/analytics/reports?from=${DAY}&to=${DAY}`, { token: tokens.akim });
    expect(list.status).toBe(200);
    expect(list.body.reports.map((x: { filename: string }) => x.filename).sort()).toEqual(
      ['kk.pdf', 'kk.xlsx', 'ru.pdf', 'ru.xlsx'].map((s) => `qala-daily-${DAY}-${s}`),
    );
  });

  it.skipIf(!POPPLER)('the Kazakh PDF opens and prints Kazakh letters: title, sections, organisations, categories; no personal data', async () => {
    const id = built.find((b) => b.language === 'kk' && b.format === 'pdf')?.id as number;
    const f = await download(id);
    expect(f.status).toBe(200);
    expect(f.type).toBe('application/pdf');
    expect(f.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(f.bytes, 'digest-kk.pdf').replace(/\s+/g, ' ');
    const city = c.ctx.city;
    for (const words of [
      'Күнделікті шолу',
      '2027-03-10',
      'Негізгі көрсеткіштер',
      'Ұйымдар рейтингі',
      'Мерзімі өткен өтініштер ұйымдар бойынша',
      'Инциденттер',
      String(city.categories.find((x) => x.code === 'HEAT')?.name.kk),
      numbers[1] as string,
      numbers[2] as string,
      'AST-2027-I00001',
      'Өтініштердің күрт көбеюі',
      'Пікірлердің өзгеруі',
      'Ақылы тұрақ',
      'Жақтайды',
      '25.0% (',
      '75.0% (',
      '+50.0',
      'иә, өсті',
      'иә, төмендеді',
      'Салыстыруға хабарлама тым аз: алдыңғы 7 күнде 0, соңғы 7 күнде 6 тұрғын жазды',
    ]) {
      expect(text).toContain(words);
    }
    expect(text).toContain('Барлығы 2.');
    noPersonalData(text);
    // Page 1 as an image, for a person to look at (kept out of git).
    mkdirSync('/tmp/shots', { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(dir, 'digest-kk.pdf'), '/tmp/shots/report-digest-kk']);
  });

  it.skipIf(!POPPLER)('the Russian PDF is the Russian edition', async () => {
    const f = await download(built.find((b) => b.language === 'ru' && b.format === 'pdf')?.id as number);
    const text = pdfText(f.bytes, 'digest-ru.pdf').replace(/\s+/g, ' ');
    expect(text).toContain('Ежедневная сводка');
    expect(text).toContain('Просроченные обращения по организациям');
    expect(text).toContain('Изменения мнений');
    noPersonalData(text);
  });

  it('the Kazakh XLSX reads back with the day’s numbers under Kazakh headers', async () => {
    const f = await download(built.find((b) => b.language === 'kk' && b.format === 'xlsx')?.id as number);
    expect(f.type).toContain('spreadsheetml');
    const wb = await workbook(f.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Көрсеткіштер', 'Ұйымдар', 'Мерзімі өткен', 'Инциденттер', 'Күрт көбею', 'Пікір өзгерісі']);
    const kpis = wb.getWorksheet('Көрсеткіштер') as ExcelJS.Worksheet;
    expect(cells(kpis, 1)).toEqual(['Көрсеткіш', 'Мәні']);
    const figure = (label: string) =>
      cells(kpis, [...Array(kpis.rowCount).keys()].map((i) => i + 1).find((r) => cells(kpis, r)[0] === label) ?? 0)[1];
    expect(figure('Түскен өтініштер')).toBe(4);
    expect(figure('Шешілген')).toBe(1);
    expect(figure('Мерзімінде шешілгені, %')).toBe(100);
    expect(figure('Ашық (қазір)')).toBe(4);
    expect(figure('Мерзімі өткен (қазір)')).toBe(2);

    const orgs = wb.getWorksheet('Ұйымдар') as ExcelJS.Worksheet;
    expect(cells(orgs, 1).slice(0, 3)).toEqual(['№', 'Ұйым', 'Түскен өтініштер']);
    const names = c.ctx.city.organisations;
    const row = (id: string) => {
      const name = names.find((o) => o.id === id)?.name.kk;
      for (let r = 2; r <= orgs.rowCount; r++) if (cells(orgs, r)[1] === name) return cells(orgs, r);
      return [];
    };
    // received, resolved, open, overdue
    expect(row(WATER).slice(2, 6)).toEqual([3, 1, 2, 1]);
    expect(row(HEAT).slice(2, 6)).toEqual([1, 0, 2, 1]);

    const overdue = wb.getWorksheet('Мерзімі өткен') as ExcelJS.Worksheet;
    expect(cells(overdue, 1)[0]).toBe('Ұйым');
    expect(overdue.rowCount - 1).toBe(2);
    const listed = [2, 3].map((r) => cells(overdue, r)[1]).sort();
    expect(listed).toEqual([numbers[1], numbers[2]].sort());
    // Hours past the deadline at 08:31 next morning: 15:00 → 17, 17:00 → 15.
    const hours = Object.fromEntries([2, 3].map((r) => [cells(overdue, r)[1], cells(overdue, r)[7]]));
    expect(hours).toEqual({ [numbers[1] as string]: 17, [numbers[2] as string]: 15 });
    const incidents = wb.getWorksheet('Инциденттер') as ExcelJS.Worksheet;
    expect(cells(incidents, 2)[0]).toBe('AST-2027-I00001');
    const spikes = wb.getWorksheet('Күрт көбею') as ExcelJS.Worksheet;
    expect(cells(spikes, 1)).toEqual(['Санат', 'Аудан', 'Кезең', 'Байқалған', 'Күтілген']);
    expect(cells(spikes, 2).slice(3)).toEqual([9, 1.5]);
    expect(cells(spikes, 2)[2]).toBe('2027-03-10 09:00 – 12:00');

    const opinion = wb.getWorksheet('Пікір өзгерісі') as ExcelJS.Worksheet;
    expect(cells(opinion, 1).slice(0, 4)).toEqual(['Сұрақ', 'Ұстаным', 'Алдыңғы 7 күн: тұрғындар', 'Алдыңғы 7 күн: үлесі, %']);
    // question, stance, residents / share % / bounds the week before, the same for the last week, change, flag
    const forRow = cells(opinion, 2);
    expect(forRow.slice(0, 4)).toEqual(['Ақылы тұрақ', 'Жақтайды', 40, 25]);
    expect(forRow.slice(6, 8)).toEqual([40, 75]);
    expect(forRow.slice(10, 12)).toEqual([50, 'иә, өсті']);
    expect(cells(opinion, 3).slice(1, 2)).toEqual(['Қарсы']);
    expect(cells(opinion, 3).slice(10, 12)).toEqual([-50, 'иә, төмендеді']);
    const buses = cells(opinion, 5);
    expect([buses[0], buses[2], buses[6]]).toEqual(['Жаңа автобус бағыттары', 0, 6]);
    expect(String(buses[12])).toContain('Салыстыруға хабарлама тым аз');

    const all: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((r) => all.push(JSON.stringify(r.values)));
    noPersonalData(all.join('\n'));
  });

  it('is for the centre and the akim: an executor may neither list, build nor download reports', async () => {
    const id = built[0]?.id as number;
    expect((await c.api('/api/v1/analytics/reports', { token: tokens.executor })).status).toBe(403);
    expect((await c.api('/api/v1/analytics/reports', { token: tokens.executor, body: { date: DAY } })).status).toBe(403);
    expect((await download(id, tokens.executor)).status).toBe(403);
    expect((await c.api('/api/v1/analytics/reports')).status).toBe(401);
  });
});

describe('the morning sweep', () => {
  it('sends the day’s files once: documents by Telegram in the reader’s language, attachments by e-mail', async () => {
    const first = await sweepOnce(c.ctx, [digestSweep], MORNING);
    expect(first['daily-digest']).toBeGreaterThan(0);
    // The akim reads Kazakh, the deputy Russian: each gets the PDF and the XLSX of their edition.
    const docs = (chat: number) =>
      waitFor(
        `two documents to ${chat}`,
        () => fake.documents.filter((d) => d.chat_id === String(chat)).length >= 2 && fake.documents.filter((d) => d.chat_id === String(chat)),
      );
    const akim = await docs(CHATS.akim);
    const deputy = await docs(CHATS.deputy);
    expect(akim.map((d) => d.filename).sort()).toEqual([`qala-daily-${DAY}-kk.pdf`, `qala-daily-${DAY}-kk.xlsx`]);
    expect(deputy.map((d) => d.filename).sort()).toEqual([`qala-daily-${DAY}-ru.pdf`, `qala-daily-${DAY}-ru.xlsx`]);
    expect(akim[0]?.caption).toContain('Күнделікті шолу');
    const pdf = akim.find((d) => d.filename.endsWith('.pdf'));
    expect(pdf?.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf?.content_type).toBe('application/pdf');

    const mailTo = async (email: string) => {
      const raw = await waitFor(`the digest mail to ${email}`, () => smtp.accepted.find((m) => m.to.includes(email)));
      return simpleParser(raw.raw);
    };
    const mail = await mailTo('akim@qala.demo');
    expect(mail.subject).toContain('Күнделікті шолу');
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual([`qala-daily-${DAY}-kk.pdf`, `qala-daily-${DAY}-kk.xlsx`]);
    const xlsx = mail.attachments.find((a) => a.filename?.endsWith('.xlsx'));
    const wb = await workbook(xlsx?.content as Buffer);
    expect(wb.worksheets[0]?.name).toBe('Көрсеткіштер');
    // Supervisors are recipients too (city.yaml reports.notify), by e-mail even without a linked bot chat.
    expect((await mailTo('supervisor@qala.demo')).attachments).toHaveLength(2);

    // Later ticks, a second worker: nothing more.
    expect((await sweepOnce(c.ctx, [digestSweep], new Date(MORNING.getTime() + 60_000)))['daily-digest']).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.documents.filter((d) => d.chat_id === String(CHATS.akim))).toHaveLength(2);
    expect(smtp.accepted.filter((m) => m.to.includes('akim@qala.demo'))).toHaveLength(1);
  });

  it('does nothing before the configured time', async () => {
    expect((await sweepOnce(c.ctx, [digestSweep], at('08:00', '2027-03-12')))['daily-digest']).toBe(0);
  });
});

describe('exports of a filtered ticket list', () => {
  it('CSV in the asked language with the list’s filters, and no personal data', async () => {
    const r = await c.api('/api/v1/tickets/export.csv?attention=overdue&lang=kk', { token: tokens.operator1 });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Нөмірі,Күйі,Санат,Ұйым,Аудан,Шұғылдығы,Арна,Тілі,Түскен уақыты,Мерзімі,Мерзімі өткен,Инцидент');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([numbers[1], numbers[2]].sort());
    noPersonalData(r.text);
    expect(r.text).not.toContain('Кенесары');
  });

  it('XLSX in the reader’s own language; an executor gets only their organisation’s tickets', async () => {
    const res = await fetch(`${c.url}/api/v1/tickets/export.xlsx?status=assigned,in_progress,resolved`, {
      headers: { authorization: `Bearer ${tokens.executor}` },
    });
    expect(res.status).toBe(200);
    const wb = await workbook(Buffer.from(await res.arrayBuffer()));
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(cells(ws, 1)[0]).toBe('Номер'); // the water executor reads Russian
    const got: unknown[] = [];
    for (let r = 2; r <= ws.rowCount; r++) got.push(cells(ws, r)[0]);
    expect(got.sort()).toEqual([numbers[0], numbers[1], numbers[3]].sort());
    const all: string[] = [];
    ws.eachRow((r) => all.push(JSON.stringify(r.values)));
    noPersonalData(all.join('\n'));
    expect((await c.api('/api/v1/tickets/export.csv')).status).toBe(401);
  });
});
