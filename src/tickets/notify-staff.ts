// Work notifications to staff, each in the reader's own language: by the Telegram bot to those who linked it, and
// by e-mail to their account address when STAFF_MAIL is on. They are outbox rows written in the same commitChange
// as the change they announce, so a notice exists exactly when its change does, and the idempotency key (event +
// user + channel) means it is sent once, across replays and restarts. Who gets them: the executors and heads of an
// organisation, the centre's supervisors, and officials by watched account (escalation.yaml names them).
import { sql, type Transaction } from 'kysely';
import { CHANNEL as TELEGRAM } from '../channels/telegram/repository.js';
import { languageOf, linkedStaff } from '../channels/telegram/staff.js';
import { STAFF_TEXTS, type TicketFacts } from '../channels/telegram/staff-texts.js';
import type { EscalationRecipient, Language, Urgency } from '../config/schema.js';
import type { Context } from '../context.js';
import type { Change } from '../outbox/change.js';
import { categoryName, humanDeadline, orgName } from '../outbox/templates.js';
import { redactPersonalData } from '../privacy.js';
import type { DB } from '../store/schema.js';

const EMAIL = 'email';

export interface StaffNotice {
  /** The event, stable across replays (e.g. `ticket:AST-2026-000123:v4:assigned`); with the user id, the idempotency key. */
  key: string;
  ticketId: number | null;
  /** What kind of notice it is (kept in the outbox payload, shown in a ticket's deliveries). */
  template: string;
  text(language: Language): string;
}

/** Whether any staff channel is on: the bot, or staff e-mail with an SMTP server to send through. */
export function staffChannelsOn(ctx: Context): boolean {
  return Boolean(ctx.settings.TELEGRAM_BOT_TOKEN) || staffMailOn(ctx);
}

const staffMailOn = (ctx: Context) => ctx.settings.STAFF_MAIL && Boolean(ctx.settings.SMTP_URL && ctx.settings.MAIL_FROM);

/** Queues the notice for `userIds` on every staff channel that is on; returns how many notices it queued. */
export async function notifyStaff(change: Change, ctx: Context, userIds: number[], notice: StaffNotice): Promise<number> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return 0;
  const fallback = ctx.city.city.default_language;
  let queued = 0;
  if (ctx.settings.TELEGRAM_BOT_TOKEN) {
    for (const u of await linkedStaff(change.tx, ids)) {
      const language = languageOf(u.locale, fallback);
      change.send({
        idempotencyKey: `staff:${notice.key}:user:${u.id}`,
        channel: TELEGRAM,
        ticketId: notice.ticketId,
        target: { staff_user_id: u.id },
        payload: { text: notice.text(language), language, template: notice.template },
      });
      queued++;
    }
  }
  if (staffMailOn(ctx)) {
    // The address is looked up when the mail is sent: the outbox keeps only the user's id.
    const users = await change.tx
      .selectFrom('users')
      .select(['id', 'locale'])
      .where('id', 'in', ids)
      .where('disabled', '=', false)
      .orderBy('id')
      .execute();
    for (const u of users) {
      const language = languageOf(u.locale, fallback);
      const text = notice.text(language);
      change.send({
        idempotencyKey: `staff:${notice.key}:user:${u.id}:email`,
        channel: EMAIL,
        ticketId: notice.ticketId,
        target: { staff_user_id: u.id },
        payload: { text, language, template: notice.template, subject: (text.split('\n')[0] ?? notice.template).slice(0, 150) },
      });
      queued++;
    }
  }
  return queued;
}

// ---- who ----

/** The executors of an organisation. */
export function executorsOf(tx: Transaction<DB>, organisationId: string): Promise<number[]> {
  return membersOf(tx, organisationId, 'executor');
}

async function membersOf(tx: Transaction<DB>, organisationId: string, role: 'executor' | 'head'): Promise<number[]> {
  const rows = await tx.selectFrom('memberships').select('user_id').where('role', '=', role).where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => r.user_id);
}

/** The heads of an organisation and of every organisation above it (a contractor's department). */
export async function headsOf(tx: Transaction<DB>, organisationId: string): Promise<number[]> {
  const { rows } = await sql<{ user_id: number }>`
    WITH RECURSIVE above(id, parent_id) AS (
      SELECT id, parent_id FROM organisations WHERE id = ${organisationId}
      UNION
      SELECT o.id, o.parent_id FROM organisations o JOIN above a ON o.id = a.parent_id
    )
    SELECT m.user_id FROM memberships m JOIN above a ON m.organisation_id = a.id WHERE m.role = 'head' ORDER BY m.user_id`.execute(tx);
  return rows.map((r) => Number(r.user_id));
}

export async function supervisors(tx: Transaction<DB>): Promise<number[]> {
  const rows = await tx.selectFrom('memberships').select('user_id').where('role', '=', 'supervisor').execute();
  return rows.map((r) => r.user_id);
}

/** The officials who are these watched accounts (a deputy akim, a district akim). */
export async function officialsOf(tx: Transaction<DB>, accounts: readonly string[]): Promise<number[]> {
  if (accounts.length === 0) return [];
  const rows = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('role', '=', 'official')
    .where('watch_account_id', 'in', [...accounts])
    .execute();
  return rows.map((r) => r.user_id);
}

/** Everyone a step or a summary names, without repeats. `headsAbove: false` keeps to the organisation's own heads
 * (a department head gets each contractor's escalations, not each contractor's daily summary). */
export async function recipients(
  tx: Transaction<DB>,
  organisationId: string | null,
  notify: readonly EscalationRecipient[],
  officials: readonly string[] = [],
  opts: { headsAbove?: boolean } = {},
): Promise<number[]> {
  const out: number[] = [];
  for (const r of notify) {
    if (r === 'supervisors') out.push(...(await supervisors(tx)));
    else if (!organisationId) continue;
    else if (r === 'executors') out.push(...(await executorsOf(tx, organisationId)));
    else out.push(...(opts.headsAbove === false ? await membersOf(tx, organisationId, 'head') : await headsOf(tx, organisationId)));
  }
  out.push(...(await officialsOf(tx, officials)));
  return [...new Set(out)];
}

// ---- what ----

export function ticketLink(ctx: Context, number: string): string {
  return `${ctx.settings.QALA_PUBLIC_URL.replace(/\/+$/, '')}/#/staff/ticket/${encodeURIComponent(number)}`;
}

export interface NoticeTicket {
  id: number;
  number: string;
  category: string | null;
  organisation_id: string | null;
  address: string | null;
  resolution_due: Date | null;
}

/** What every notice says of a ticket, in the reader's language: the public address only (no flat, no name). */
export function ticketFacts(ctx: Context, t: NoticeTicket, lang: Language): TicketFacts {
  const none = STAFF_TEXTS[lang].none;
  return {
    number: t.number,
    category: categoryName(ctx.city, t.category, lang) || none,
    organisation: orgName(ctx.city, t.organisation_id, lang) || none,
    address: t.address ? redactPersonalData(t.address) : none,
    deadline: t.resolution_due ? humanDeadline(ctx.city, t.resolution_due) : none,
    link: ticketLink(ctx, t.number),
  };
}

export interface AssignedTicket extends NoticeTicket {
  /** The version the assignment made: one notice per assignment. */
  version: number;
  urgency: string;
}

/**
 * Tells the executors of the ticket's organisation it is theirs: number, category, the public address (street and
 * house, never the flat, the resident's name or phone), urgency, deadline in the city's time and the ticket's page.
 */
export async function notifyAssignment(change: Change, ctx: Context, t: AssignedTicket): Promise<number> {
  if (!t.organisation_id || !staffChannelsOn(ctx)) return 0;
  return notifyStaff(change, ctx, await executorsOf(change.tx, t.organisation_id), {
    key: `ticket:${t.number}:v${t.version}:assigned`,
    ticketId: t.id,
    template: 'staff.assigned',
    text: (lang) => {
      const tx = STAFF_TEXTS[lang];
      const f = ticketFacts(ctx, t, lang);
      return tx.assigned({ ...f, urgency: tx.urgency[t.urgency as Urgency] ?? t.urgency });
    },
  });
}

export interface ReopenedTicket extends NoticeTicket {
  /** The version the reopening made: one notice per reopening. */
  version: number;
  reopen_count: number;
}

/**
 * The resident reopened the ticket: its organisation's executors hear that it is theirs again and how often it came
 * back. The resident's reason is not quoted (it may name people); the ticket's page has it.
 */
export async function notifyReopened(change: Change, ctx: Context, t: ReopenedTicket): Promise<number> {
  if (!t.organisation_id || !staffChannelsOn(ctx)) return 0;
  return notifyStaff(change, ctx, await executorsOf(change.tx, t.organisation_id), {
    key: `ticket:${t.number}:v${t.version}:reopened`,
    ticketId: t.id,
    template: 'staff.reopened',
    text: (lang) => STAFF_TEXTS[lang].reopened({ ...ticketFacts(ctx, t, lang), count: t.reopen_count }),
  });
}

export interface AnsweredTicket extends NoticeTicket {
  /** The version the resumption made: one notice per answer that ended a wait. */
  version: number;
}

/**
 * The resident answered the question the ticket was waiting on: its organisation's executors hear it is back in
 * work, with the deadline the wait moved. The answer itself is not quoted (it may carry a name, a phone, a flat);
 * the ticket's page has it.
 */
export async function notifyAnswered(change: Change, ctx: Context, t: AnsweredTicket): Promise<number> {
  if (!t.organisation_id || !staffChannelsOn(ctx)) return 0;
  return notifyStaff(change, ctx, await executorsOf(change.tx, t.organisation_id), {
    key: `ticket:${t.number}:v${t.version}:answered`,
    ticketId: t.id,
    template: 'staff.answered',
    text: (lang) => STAFF_TEXTS[lang].answered(ticketFacts(ctx, t, lang)),
  });
}
