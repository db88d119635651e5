// Building and delivering the daily digest. `buildDigest` renders one day in the asked languages as PDF and XLSX
// into the archive (reports). The sweep, at the configured local time (city.yaml `reports.at`), builds the day
// before and sends it to the staff with the configured roles: by Telegram (one document per format, in the reader's
// language) and by e-mail (one mail, both files attached). Exactly once per recipient: the day's row in report_runs
// and the outbox rows commit together, and each outbox row has an idempotency key of day, format and user.

import { languageOf, linkedStaff } from '../channels/telegram/staff.js';
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { commitChange } from '../outbox/change.js';
import { localDate } from '../sla/calendar.js';
import type { Sweep } from '../sla/ticker.js';
import { gatherDigest, yesterday } from './digest.js';
import { REPORT_FORMATS, type ReportFormat, saveReport } from './report-archive.js';
import { digestPdf } from './report-pdf.js';
import { REPORT_TEXTS } from './report-texts.js';
import { digestXlsx } from './report-xlsx.js';

export const DAILY = 'daily';
const DAY = 86_400_000;

export interface BuiltReport {
  id: number;
  language: Language;
  format: ReportFormat;
  size: number;
}

/** Renders the digest of `date` in each language as PDF and XLSX and stores them; `replace` rebuilds existing ones. */
export async function buildDigest(
  ctx: Context,
  date: string,
  languages: readonly Language[],
  opts: { now: Date; createdBy: number | null; replace: boolean },
): Promise<BuiltReport[]> {
  const out: BuiltReport[] = [];
  for (const language of languages) {
    const digest = await gatherDigest(ctx, date, language, opts.now);
    const files: Record<ReportFormat, Buffer> = { pdf: await digestPdf(digest), xlsx: await digestXlsx(digest) };
    for (const format of REPORT_FORMATS) {
      const bytes = files[format];
      const id = await saveReport(ctx.db, { kind: DAILY, date, language, format, bytes, createdBy: opts.createdBy }, opts.replace);
      out.push({ id, language, format, size: bytes.length });
    }
  }
  return out;
}

/** The day whose digest is due at `now` (the day before, once the local time has reached `reports.at`), or null. */
export function digestDue(ctx: Context, now: Date): string | null {
  const cfg = ctx.city.city.reports;
  if (!cfg.enabled) return null;
  const off = ctx.city.calendar.utcOffsetMinutes * 60_000;
  const minutes = Math.floor(((((now.getTime() + off) % DAY) + DAY) % DAY) / 60_000);
  const at = Number(cfg.at.slice(0, 2)) * 60 + Number(cfg.at.slice(3, 5));
  return minutes >= at ? yesterday(ctx, now) : null;
}

const staffMailOn = (ctx: Context) => ctx.settings.STAFF_MAIL && Boolean(ctx.settings.SMTP_URL && ctx.settings.MAIL_FROM);

/** Builds and sends the day's digest if it is due and not yet sent; returns how many people it was sent to. */
export async function runDigestSweep(ctx: Context, now: Date): Promise<number> {
  const date = digestDue(ctx, now);
  if (!date) return 0;
  const sent = await ctx.db.selectFrom('report_runs').select('date').where('kind', '=', DAILY).where('date', '=', date).executeTakeFirst();
  if (sent) return 0;
  const cfg = ctx.city.city.reports;
  const built = await buildDigest(ctx, date, cfg.languages, { now, createdBy: null, replace: false });
  return commitChange(ctx.db, { type: 'system', id: 'reports' }, async (change) => {
    const members = await change.tx
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.locale'])
      .where('m.role', 'in', cfg.notify)
      .where('u.disabled', '=', false)
      .orderBy('u.id')
      .execute();
    const users = [...new Map(members.map((u) => [u.id, u])).values()];
    const run = await change.tx
      .insertInto('report_runs')
      .values({ kind: DAILY, date, delivered_at: now, recipients: users.length })
      .onConflict((oc) => oc.columns(['kind', 'date']).doNothing())
      .returning('date')
      .executeTakeFirst();
    if (!run) return 0; // another worker sent it
    // Each reader gets the edition in their language, or the first configured one when theirs is not built.
    const fallback = cfg.languages[0] as Language;
    const editionOf = (locale: string) => {
      const l = languageOf(locale, fallback);
      return cfg.languages.includes(l) ? l : fallback;
    };
    const fileOf = (language: Language, format: ReportFormat) => built.find((b) => b.language === language && b.format === format);
    const caption = (language: Language) => `${REPORT_TEXTS[language].title} — ${ctx.city.city.name[language]} — ${date}`;
    let told = 0;
    const reached = new Set<number>();
    if (ctx.settings.TELEGRAM_BOT_TOKEN) {
      for (const u of await linkedStaff(
        change.tx,
        users.map((x) => x.id),
      )) {
        const language = editionOf(u.locale);
        for (const format of REPORT_FORMATS) {
          const file = fileOf(language, format);
          if (!file) continue;
          change.send({
            idempotencyKey: `report:${DAILY}:${date}:${format}:user:${u.id}`,
            channel: 'telegram',
            ticketId: null,
            target: { staff_user_id: u.id },
            payload: { text: caption(language), language, template: 'report.daily', report_id: file.id },
          });
        }
        reached.add(u.id);
      }
    }
    if (staffMailOn(ctx)) {
      for (const u of users) {
        const language = editionOf(u.locale);
        const ids = REPORT_FORMATS.map((f) => fileOf(language, f)?.id).filter((id): id is number => id !== undefined);
        const text = `${caption(language)}\n\n${REPORT_TEXTS[language].built(localDate(ctx.city.calendar, now))}`;
        change.send({
          idempotencyKey: `report:${DAILY}:${date}:user:${u.id}:email`,
          channel: 'email',
          ticketId: null,
          target: { staff_user_id: u.id },
          payload: { text, language, template: 'report.daily', subject: caption(language), report_ids: ids },
        });
        reached.add(u.id);
      }
    }
    told = reached.size;
    change.audit({ action: 'report.delivered', entityType: 'report', entityId: `${DAILY}:${date}`, data: { recipients: told, files: built.length } });
    return told;
  });
}

export const digestSweep: Sweep = { name: 'daily-digest', run: runDigestSweep };
