// Work notifications to staff in the messenger they linked (Telegram today), each in the reader's own language.
// They are outbox rows written in the same commitChange as the change they announce, so a notice exists exactly
// when its change does, and the idempotency key (event + user) means it is sent once, across replays and restarts.
// Assignment uses it now; escalations (at risk, breached) can send to executors, heads and supervisors the same way.
import type { Transaction } from 'kysely';
import { CHANNEL as TELEGRAM } from '../channels/telegram/repository.js';
import { languageOf, linkedStaff } from '../channels/telegram/staff.js';
import { STAFF_TEXTS } from '../channels/telegram/staff-texts.js';
import type { Language, Urgency } from '../config/schema.js';
import type { Context } from '../context.js';
import type { Change } from '../outbox/change.js';
import { categoryName, humanDeadline } from '../outbox/templates.js';
import { redactPersonalData } from '../privacy.js';
import type { DB } from '../store/schema.js';

export interface StaffNotice {
  /** The event, stable across replays (e.g. `ticket:AST-2026-000123:v4:assigned`); with the user id, the idempotency key. */
  key: string;
  ticketId: number | null;
  /** What kind of notice it is (kept in the outbox payload, shown in a ticket's deliveries). */
  template: string;
  text(language: Language): string;
}

/** Queues the notice for those of `userIds` who linked a messenger; returns how many. Nothing without a bot. */
export async function notifyStaff(change: Change, ctx: Context, userIds: number[], notice: StaffNotice): Promise<number> {
  if (!ctx.settings.TELEGRAM_BOT_TOKEN) return 0;
  const readers = await linkedStaff(change.tx, [...new Set(userIds)]);
  for (const u of readers) {
    const language = languageOf(u.locale, ctx.city.city.default_language);
    change.send({
      idempotencyKey: `staff:${notice.key}:user:${u.id}`,
      channel: TELEGRAM,
      ticketId: notice.ticketId,
      target: { staff_user_id: u.id },
      payload: { text: notice.text(language), language, template: notice.template },
    });
  }
  return readers.length;
}

/** The executors of an organisation. */
export async function executorsOf(tx: Transaction<DB>, organisationId: string): Promise<number[]> {
  const rows = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('role', '=', 'executor')
    .where('organisation_id', '=', organisationId)
    .execute();
  return rows.map((r) => r.user_id);
}

export interface AssignedTicket {
  id: number;
  number: string;
  /** The version the assignment made: one notice per assignment. */
  version: number;
  category: string | null;
  organisation_id: string | null;
  address: string | null;
  urgency: string;
  resolution_due: Date | null;
}

/**
 * Tells the executors of the ticket's organisation it is theirs: number, category, the public address (street and
 * house, never the flat, the resident's name or phone), urgency, deadline in the city's time and the ticket's page.
 */
export async function notifyAssignment(change: Change, ctx: Context, t: AssignedTicket): Promise<number> {
  if (!t.organisation_id || !ctx.settings.TELEGRAM_BOT_TOKEN) return 0;
  const { city } = ctx;
  const link = `${ctx.settings.QALA_PUBLIC_URL.replace(/\/+$/, '')}/#/staff/ticket/${encodeURIComponent(t.number)}`;
  return notifyStaff(change, ctx, await executorsOf(change.tx, t.organisation_id), {
    key: `ticket:${t.number}:v${t.version}:assigned`,
    ticketId: t.id,
    template: 'staff.assigned',
    text: (lang) => {
      const tx = STAFF_TEXTS[lang];
      return tx.assigned({
        number: t.number,
        category: categoryName(city, t.category, lang) || tx.none,
        address: t.address ? redactPersonalData(t.address) : tx.none,
        urgency: tx.urgency[t.urgency as Urgency] ?? t.urgency,
        deadline: t.resolution_due ? humanDeadline(city, t.resolution_due) : tx.none,
        link,
      });
    },
  });
}
