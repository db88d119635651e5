// The daily digest as an XLSX workbook (exceljs) — sheets KPIs, organisations, overdue (every overdue ticket),
// incidents, spikes and opinion changes, header rows in the reader's language, numbers as numbers so they can be summed — and the on-demand
// export of a filtered ticket list as XLSX or CSV. Exports carry ticket facts only: number, status, category,
// organisation, district, urgency, channel, language, times. No resident's name, phone, e-mail, address or words.
import ExcelJS from 'exceljs';
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { categoryName, orgName } from '../outbox/templates.js';
import { formatLocal } from '../sla/calendar.js';
import { OPEN_STATUSES, PAUSED_STATUSES, type TicketStatus } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/repository.js';
import type { Digest } from './digest.js';
import { MIN_VOICES } from './opinion-change.js';
import { DIGEST_KPIS, REPORT_TEXTS } from './report-texts.js';

type Cell = string | number | null;

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Cell[][], widths: number[]) {
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const ws = wb.addWorksheet(name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6ECF2' } };
  for (const r of rows) ws.addRow(r);
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  if (rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  return ws;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** The digest as XLSX bytes. */
export async function digestXlsx(d: Digest): Promise<Buffer> {
  const tx = REPORT_TEXTS[d.language];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Qala';
  wb.title = `${tx.title} — ${d.date}`;
  const kpis = sheet(
    wb,
    tx.sheet.kpis,
    [tx.figure, tx.value],
    DIGEST_KPIS.map((k) => [k === 'on_time_share' ? `${tx.kpi[k]}, %` : tx.kpi[k], k === 'on_time_share' ? pct(d.kpis[k]) : d.kpis[k]]),
    [44, 14],
  );
  // Title, day and the "now" caveat below the figures, where a filter or a sum does not trip over them.
  kpis.addRow([]);
  kpis.addRow([tx.subtitle(d.city, d.date)]);
  kpis.addRow([`${tx.built(d.built_at)}. ${tx.standingNote}`]);
  sheet(
    wb,
    tx.sheet.organisations,
    [
      tx.col.rank,
      tx.col.organisation,
      tx.kpi.received,
      tx.kpi.resolved,
      tx.kpi.open,
      tx.kpi.overdue,
      tx.kpi.at_risk,
      `${tx.kpi.on_time_share}, %`,
      tx.kpi.average_rating,
    ],
    d.organisations.map((o) => [o.rank, o.name, o.received, o.resolved, o.open, o.overdue, o.at_risk, pct(o.on_time_share), o.average_rating]),
    [6, 40, 12, 12, 12, 12, 12, 14, 12],
  );
  sheet(
    wb,
    tx.sheet.overdue,
    [tx.col.organisation, tx.col.number, tx.col.category, tx.col.district, tx.col.urgency, tx.col.created, tx.col.deadline, tx.col.overdueHours],
    d.overdue.map((t) => [t.organisation, t.number, t.category, t.district, t.urgency, t.created_at, t.deadline, t.hours_overdue]),
    [36, 18, 28, 16, 10, 17, 17, 10],
  );
  sheet(
    wb,
    tx.sheet.incidents,
    [tx.col.incident, tx.col.status, tx.col.title, tx.col.category, tx.col.district, tx.col.organisation, tx.col.tickets, tx.col.opened],
    d.incidents.map((i) => [i.number, i.status, i.title, i.category, i.district, i.organisation, i.tickets, i.opened_at]),
    [18, 12, 40, 24, 16, 30, 10, 17],
  );
  sheet(
    wb,
    tx.sheet.spikes,
    [tx.col.category, tx.col.district, tx.col.window, tx.col.observed, tx.col.expected],
    d.spikes.map((x) => [x.category, x.district, x.window, x.observed, x.expected]),
    [28, 20, 26, 12, 12],
  );
  opinionSheet(wb, d);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One row per question and stance: both weeks' residents, weighted share and 95% bounds, the change and the flag;
 * a question with too few residents has one row with the note instead of numbers. */
function opinionSheet(wb: ExcelJS.Workbook, d: Digest) {
  const tx = REPORT_TEXTS[d.language];
  const c = tx.col;
  const period = (label: string) => [`${label}: ${c.voices}`, `${label}: ${c.share}`, `${label}: ${c.low}`, `${label}: ${c.high}`];
  const ws = sheet(
    wb,
    tx.sheet.opinion,
    [c.question, c.stance, ...period(c.previousWeek), ...period(c.currentWeek), c.change, c.flag, c.note],
    d.opinion.flatMap((q): Cell[][] => {
      const voices = [Math.round(q.previous_n), Math.round(q.current_n)];
      if (!q.enough)
        return [
          [
            q.question,
            null,
            voices[0]!,
            null,
            null,
            null,
            voices[1]!,
            null,
            null,
            null,
            null,
            null,
            tx.opinionTooFew(voices[0]!, voices[1]!, MIN_VOICES),
          ],
        ];
      return q.stances.map((x) => [
        q.question,
        tx.stance[x.stance],
        voices[0]!,
        pct(x.previous.share),
        pct(x.previous.ci[0]),
        pct(x.previous.ci[1]),
        voices[1]!,
        pct(x.current.share),
        pct(x.current.ci[0]),
        pct(x.current.ci[1]),
        pct(x.change),
        x.direction ? tx.opinionFlag[x.direction] : tx.opinionFlag.none,
        null,
      ]);
    }),
    [36, 14, 12, 12, 12, 12, 12, 12, 12, 12, 12, 14, 50],
  );
  // The two weeks and how to read them, below the table.
  ws.addRow([]);
  ws.addRow([tx.opinionNote(d.opinion_weeks.previous, d.opinion_weeks.current)]);
}

// ---- exports of a filtered ticket list ----

export interface ExportTable {
  headers: string[];
  rows: Cell[][];
}

/** The columns of a ticket export, in the reader's language; what the staff list shows, less the address. */
export function ticketExport(city: City, tickets: TicketRow[], lang: Language, now: Date): ExportTable {
  const tx = REPORT_TEXTS[lang];
  const c = tx.col;
  const local = (d: Date | null) => (d ? formatLocal(city.calendar, d).slice(0, 16).replace('T', ' ') : null);
  const district = (id: string | null) => (id ? (city.city.districts.find((d) => d.id === id)?.name[lang] ?? id) : null);
  return {
    headers: [
      c.number,
      c.status,
      c.category,
      c.organisation,
      c.district,
      c.urgency,
      c.channel,
      c.language,
      c.created,
      c.deadline,
      c.overdueFlag,
      c.incident,
    ],
    rows: tickets.map((t) => {
      const running = OPEN_STATUSES.has(t.status as TicketStatus) && !PAUSED_STATUSES.has(t.status as TicketStatus);
      const overdue = running && t.resolution_due !== null && t.resolution_due.getTime() < now.getTime();
      return [
        t.number,
        t.status,
        categoryName(city, t.category, lang) || t.category,
        orgName(city, t.organisation_id, lang) || t.organisation_id,
        district(t.district),
        t.urgency,
        t.channel,
        t.language,
        local(t.created_at),
        local(t.resolution_due),
        overdue ? tx.yes : tx.no,
        t.incident_id,
      ];
    }),
  };
}

export async function exportXlsx(table: ExportTable, sheetName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Qala';
  sheet(wb, sheetName, table.headers, table.rows, [18, 12, 28, 36, 16, 10, 12, 8, 17, 17, 10, 18]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** RFC 4180 CSV with a BOM (spreadsheets then read it as UTF-8); a cell that a spreadsheet would take for a
 * formula (= + - @) is quoted with a leading apostrophe, so an export can never run one. */
export function exportCsv(table: ExportTable): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[table.headers, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
