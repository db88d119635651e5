// The report archive (table `reports`): every built report's bytes under (kind, date, language, format), read by
// the archive API, and by the Telegram and e-mail deliveries, which send the very file that was built. The SQL of
// reports lives here and nowhere else.
import type { Database } from '../store/db.js';

export type ReportFormat = 'pdf' | 'xlsx';
export const REPORT_FORMATS: readonly ReportFormat[] = ['pdf', 'xlsx'];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface NewReport {
  kind: string;
  date: string;
  language: string;
  format: ReportFormat;
  bytes: Buffer;
  createdBy: number | null;
}

/** Stores a report; `replace` rebuilds one already there (a "build now"), otherwise the first one built stays. */
export async function saveReport(db: Database, r: NewReport, replace: boolean): Promise<number> {
  const row = await db
    .insertInto('reports')
    .values({ kind: r.kind, date: r.date, language: r.language, format: r.format, bytes: r.bytes, size: r.bytes.length, created_by: r.createdBy })
    .onConflict((oc) => {
      const on = oc.columns(['kind', 'date', 'language', 'format']);
      return replace
        ? on.doUpdateSet({ bytes: r.bytes, size: r.bytes.length, created_by: r.createdBy, created_at: new Date() })
        : on.doUpdateSet((eb) => ({ kind: eb.ref('reports.kind') })); // a no-op update, so the id comes back
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface ReportListFilter {
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  language?: string | undefined;
  limit: number;
  offset: number;
}

/** The archive, newest day first, without the bytes. */
export async function listReports(db: Database, f: ReportListFilter) {
  let q = db.selectFrom('reports').select(['id', 'kind', 'date', 'language', 'format', 'size', 'created_by', 'created_at']);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.from) q = q.where('date', '>=', f.from);
  if (f.to) q = q.where('date', '<=', f.to);
  if (f.language) q = q.where('language', '=', f.language);
  const rows = await q.orderBy('date', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export function findReport(db: Database, id: number) {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The file name a report is downloaded, sent and attached under, e.g. qala-daily-2026-03-25-kk.pdf. */
export function reportFilename(r: { kind: string; date: string; language: string; format: string }): string {
  return `qala-${r.kind}-${r.date}-${r.language}.${r.format}`;
}

/** The reports as attachments (file name, bytes, type), in the order asked; unknown ids are left out. */
export async function reportFiles(db: Database, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('reports')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return ids
    .map((id) => rows.find((r) => Number(r.id) === id))
    .filter((r) => r !== undefined)
    .map((r) => ({ filename: reportFilename(r), content: Buffer.from(r.bytes), contentType: CONTENT_TYPES[r.format] }));
}
