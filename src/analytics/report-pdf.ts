// The daily digest as a PDF (pdfkit): title and date, the KPI table, the league table of organisations, the
// overdue tickets by organisation, the incidents, the spikes and the opinion changes, in one language. The text is set in DejaVu Sans shipped in
// assets/fonts (embedded, subset), which has every Kazakh letter (ә ғ қ ң ө ұ ү һ і): the PDF's standard fonts
// have none, and nothing is fetched at run time.
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { type Digest, kpiText } from './digest.js';
import type { Interval } from './estimate.js';
import { MIN_VOICES } from './opinion-change.js';
import { DIGEST_KPIS, REPORT_TEXTS } from './report-texts.js';

const FONT = fileURLToPath(new URL('../../assets/fonts/dejavu/DejaVuSans.ttf', import.meta.url));
const FONT_BOLD = fileURLToPath(new URL('../../assets/fonts/dejavu/DejaVuSans-Bold.ttf', import.meta.url));
/** The PDF stays a few pages long: the XLSX edition has every overdue ticket. */
const PDF_OVERDUE_ROWS = 300;
const PDF_INCIDENT_ROWS = 100;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

type Doc = InstanceType<typeof PDFDocument>;

const MARGIN = 40;
const SIZE = 8.5;
/** Header cells are a little smaller: Kazakh and Russian column names are long words. */
const HEAD_SIZE = 7.5;
const PAD = 3;

/** Draws a table from the current position, breaking pages as needed and repeating the header on each. */
function table(doc: Doc, columns: Column[], rows: string[][]) {
  const left = MARGIN;
  const bottom = doc.page.height - MARGIN;
  const heightOf = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(bold ? HEAD_SIZE : SIZE);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: (columns[i]?.width ?? 50) - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: string[], bold: boolean, shade: string | null) => {
    const h = heightOf(cells, bold);
    const y = doc.y;
    let x = left;
    const total = columns.reduce((s, c) => s + c.width, 0);
    if (shade) doc.rect(left, y, total, h).fill(shade);
    doc
      .fillColor('#111111')
      .font(bold ? 'bold' : 'regular')
      .fontSize(bold ? HEAD_SIZE : SIZE);
    cells.forEach((c, i) => {
      const col = columns[i] as Column;
      doc.text(c, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align ?? 'left' });
      x += col.width;
    });
    doc
      .moveTo(left, y + h)
      .lineTo(left + total, y + h)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.x = left;
    doc.y = y + h;
  };
  const header = columns.map((c) => c.header);
  drawRow(header, true, '#e6ecf2');
  rows.forEach((r, i) => {
    if (doc.y + heightOf(r, false) > bottom) {
      doc.addPage();
      drawRow(header, true, '#e6ecf2');
    }
    drawRow(r, false, i % 2 ? '#f7f9fb' : null);
  });
  doc.moveDown(0.8);
}

function heading(doc: Doc, text: string, note?: string) {
  // A heading with less than a few rows' room below it starts the next page.
  if (doc.y > doc.page.height - MARGIN - 90) doc.addPage();
  doc.x = MARGIN;
  doc.font('bold').fontSize(12).fillColor('#0b3d62').text(text);
  if (note) doc.font('regular').fontSize(8).fillColor('#555555').text(note);
  doc.moveDown(0.3);
}

const n = (v: number | null, none: string) => (v === null ? none : String(v));
const share = (v: number | null, none: string) => (v === null ? none : `${Math.round(v * 1000) / 10}%`);
const pct1 = (v: number) => (Math.round(v * 1000) / 10).toFixed(1);
/** "42.0% (35.1–49.2)": a share with its 95% interval. */
const withInterval = (i: Interval) => `${pct1(i.share)}% (${pct1(i.ci[0])}–${pct1(i.ci[1])})`;
const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${pct1(Math.abs(v))}`;

function opinionSection(doc: Doc, d: Digest) {
  const tx = REPORT_TEXTS[d.language];
  heading(doc, tx.opinion, tx.opinionNote(d.opinion_weeks.previous, d.opinion_weeks.current));
  if (!d.opinion.length) {
    doc.font('regular').fontSize(SIZE).fillColor('#111111').text(tx.none);
    return;
  }
  const rows = d.opinion.flatMap((q) =>
    q.stances.map((x, i) => [
      i === 0 ? q.question : '',
      tx.stance[x.stance],
      withInterval(x.previous),
      withInterval(x.current),
      signed(x.change),
      x.direction ? tx.opinionFlag[x.direction] : tx.opinionFlag.none,
    ]),
  );
  if (rows.length)
    table(
      doc,
      [
        { header: tx.col.question, width: 120 },
        { header: tx.col.stance, width: 62 },
        { header: tx.col.previousWeek, width: 95, align: 'right' },
        { header: tx.col.currentWeek, width: 95, align: 'right' },
        { header: tx.col.change, width: 58, align: 'right' },
        { header: tx.col.flag, width: 85 },
      ],
      rows,
    );
  // A question with too few residents in either week has no numbers, only why (a line under the table).
  for (const q of d.opinion.filter((x) => !x.enough)) {
    doc.x = MARGIN;
    doc
      .font('regular')
      .fontSize(SIZE)
      .fillColor('#111111')
      .text(`${q.question}: ${tx.opinionTooFew(Math.round(q.previous_n), Math.round(q.current_n), MIN_VOICES)}`);
  }
}

/** The digest as PDF bytes. */
export function digestPdf(d: Digest): Promise<Buffer> {
  const tx = REPORT_TEXTS[d.language];
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: d.language,
    info: { Title: `${tx.title} — ${d.date}`, Author: d.city, Creator: 'Qala' },
  });
  doc.registerFont('regular', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('bold').fontSize(18).fillColor('#0b3d62').text(tx.title);
  doc.font('regular').fontSize(11).fillColor('#111111').text(tx.subtitle(d.city, d.date));
  doc
    .fontSize(8)
    .fillColor('#555555')
    .text(`${tx.built(d.built_at)}. ${tx.standingNote}`);
  doc.moveDown(0.8);

  heading(doc, tx.kpis);
  table(
    doc,
    [
      { header: tx.figure, width: 330 },
      { header: tx.value, width: 100, align: 'right' },
    ],
    DIGEST_KPIS.map((k) => [tx.kpi[k], kpiText(k, d.kpis[k], tx.none)]),
  );

  heading(doc, tx.organisations, tx.organisationsNote);
  table(
    doc,
    [
      { header: tx.col.rank, width: 22, align: 'right' },
      { header: tx.col.organisation, width: 130 },
      { header: tx.kpi.received, width: 55, align: 'right' },
      { header: tx.kpi.resolved, width: 55, align: 'right' },
      { header: tx.kpi.open, width: 55, align: 'right' },
      { header: tx.kpi.overdue, width: 55, align: 'right' },
      { header: tx.kpi.on_time_share, width: 66, align: 'right' },
      { header: tx.kpi.average_rating, width: 75, align: 'right' },
    ],
    d.organisations.map((o) => [
      String(o.rank),
      o.name,
      String(o.received),
      String(o.resolved),
      String(o.open),
      String(o.overdue),
      share(o.on_time_share, tx.none),
      n(o.average_rating, tx.none),
    ]),
  );

  const shown = d.overdue.slice(0, PDF_OVERDUE_ROWS);
  heading(doc, tx.overdue, tx.overdueNote(shown.length, d.overdue_total));
  if (shown.length)
    table(
      doc,
      [
        { header: tx.col.organisation, width: 130 },
        { header: tx.col.number, width: 92 },
        { header: tx.col.category, width: 102 },
        { header: tx.col.district, width: 70 },
        { header: tx.col.deadline, width: 69 },
        { header: tx.col.overdueHours, width: 52, align: 'right' },
      ],
      shown.map((t) => [t.organisation, t.number, t.category, t.district, t.deadline, String(t.hours_overdue)]),
    );

  heading(doc, tx.incidents);
  const incidents = d.incidents.slice(0, PDF_INCIDENT_ROWS);
  if (incidents.length)
    table(
      doc,
      [
        { header: tx.col.incident, width: 90 },
        { header: tx.col.title, width: 140 },
        { header: tx.col.district, width: 66 },
        { header: tx.col.organisation, width: 103 },
        { header: tx.col.tickets, width: 52, align: 'right' },
        { header: tx.col.opened, width: 62 },
      ],
      incidents.map((i) => [i.number, i.title, i.district, i.organisation, String(i.tickets), i.opened_at.slice(0, 10)]),
    );
  else doc.font('regular').fontSize(SIZE).fillColor('#111111').text(tx.none);
  doc.moveDown(0.8);

  heading(doc, tx.spikes, tx.spikesNote);
  if (d.spikes.length)
    table(
      doc,
      [
        { header: tx.col.category, width: 150 },
        { header: tx.col.district, width: 110 },
        { header: tx.col.window, width: 135 },
        { header: tx.col.observed, width: 60, align: 'right' },
        { header: tx.col.expected, width: 60, align: 'right' },
      ],
      d.spikes.map((x) => [x.category, x.district, x.window, String(x.observed), String(x.expected)]),
    );
  else doc.font('regular').fontSize(SIZE).fillColor('#111111').text(tx.none);
  doc.moveDown(0.8);

  opinionSection(doc, d);

  doc.end();
  return done;
}
