// A poll's results as CSV for analysts to take away: the estimate per option (raw and district-weighted share with
// 95% intervals) and the answers per option × district. Aggregates only: no respondent key, no time of answer, and
// any count under 5 residents (and the one that would give it away) is left empty with `hidden` set.
import type { City } from '../config/load.js';
import { type PollResults, type PollRow, SMALL_CELL, suppressed } from './model.js';

export const EXPORT_COLUMNS = [
  'poll',
  'row',
  'option',
  'option_ru',
  'option_kk',
  'option_en',
  'district',
  'answers',
  'hidden',
  'raw_share',
  'raw_low',
  'raw_high',
  'weighted_share',
  'weighted_low',
  'weighted_high',
  'effective_n',
] as const;
type Row = Partial<Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>>;

/** RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function field(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function exportCsv(poll: Pick<PollRow, 'id' | 'options'>, r: PollResults, city: City): string {
  const e = r.estimate;
  const rows: Row[] = [];
  const label = (id: string) => poll.options.find((o) => o.id === id)?.label;
  const counts = poll.options.map((o) => e.answers[o.id]?.count ?? 0);
  const enough = e.n >= SMALL_CELL;
  const hideCity = suppressed(counts);
  poll.options.forEach((o, i) => {
    const a = e.answers[o.id];
    const hidden = !enough || Boolean(hideCity[i]);
    rows.push({
      row: 'city',
      option: o.id,
      ...labels(label(o.id)),
      answers: hidden ? null : counts[i],
      hidden,
      ...(hidden || !a
        ? {}
        : {
            raw_share: a.raw.share,
            raw_low: a.raw.ci[0],
            raw_high: a.raw.ci[1],
            weighted_share: a.weighted.share,
            weighted_low: a.weighted.ci[0],
            weighted_high: a.weighted.ci[1],
          }),
      effective_n: enough ? e.effective_n : null,
    });
  });
  // Per district: each district's row of options is suppressed on its own (its total is known from its cells).
  const districts = [...city.city.districts.map((d) => d.id), null];
  for (const d of districts) {
    const cells = poll.options.map((o) => r.by_district.find((c) => c.district === d && c.option_id === o.id)?.count ?? 0);
    if (cells.every((c) => c === 0)) continue;
    const total = cells.reduce((a, b) => a + b, 0);
    const hide = suppressed(cells);
    poll.options.forEach((o, i) => {
      const hidden = total < SMALL_CELL || Boolean(hide[i]);
      rows.push({ row: 'district', option: o.id, ...labels(label(o.id)), district: d ?? 'unknown', answers: hidden ? null : cells[i], hidden });
    });
  }
  const lines = [EXPORT_COLUMNS.join(','), ...rows.map((row) => EXPORT_COLUMNS.map((c) => field(c === 'poll' ? poll.id : row[c])).join(','))];
  // The byte order mark tells Excel the file is UTF-8, or Kazakh and Russian letters turn to mojibake.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function labels(l: { ru: string; kk: string; en: string } | undefined) {
  return { option_ru: l?.ru ?? '', option_kk: l?.kk ?? '', option_en: l?.en ?? '' };
}
