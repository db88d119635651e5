// What the resident hears about their ticket: which template an event uses, the variables it is filled with, and
// the outbox message in the ticket's channel and language. The message is written into the caller's change, so it
// exists exactly when the change does; its idempotency key (ticket, version, template) makes it speak once.
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import type { Change } from '../outbox/change.js';
import { categoryName, humanDeadline, orgName, render, type TemplateVars, templateKey } from '../outbox/templates.js';
import type { TicketAction, TicketStatus } from './lifecycle.js';

export interface TicketTarget {
  id: number;
  number: string;
  channel: string;
  resident_id: number | null;
}

/** `seq` is the ticket version the message belongs to, so each change speaks once, however often it is replayed.
 * `category` (a code) picks the category's own wording of the template when the city wrote one; the payload keeps
 * the general key as `template` (channels act on it, e.g. Telegram's confirm buttons) and the one used as `variant`. */
export function notifyResident(
  change: Change,
  ctx: Context,
  t: TicketTarget,
  template: string,
  language: Language,
  vars: TemplateVars,
  seq: number,
  category?: string | null,
) {
  change.send({
    idempotencyKey: `ticket:${t.number}:${seq}:${template}`,
    channel: t.channel,
    ticketId: t.id,
    target: { thread: t.number, resident_id: t.resident_id },
    payload: { text: render(ctx.city, template, language, vars, category), language, template, variant: templateKey(ctx.city, template, category) },
  });
}

/** A few actions have their own message; the rest tell the new status. */
const BY_ACTION: Partial<Record<TicketAction, string>> = {
  ask: 'question.asked',
  resume: 'status.resumed',
  // Handing back is the services' business: the resident hears that the appeal is being passed on, not "not ours".
  hand_back: 'status.rerouted',
};

export function residentTemplate(action: TicketAction, to: TicketStatus): string {
  return BY_ACTION[action] ?? `status.${to}`;
}

/** The template variables for a ticket as it is after the change, in the resident's language. */
export function residentVars(
  ctx: Context,
  t: { number: string; organisation_id: string | null; category: string | null; resolution_due: Date | null },
  lang: Language,
  extra: { reason?: string | undefined; question?: string | undefined } = {},
): TemplateVars {
  return {
    number: t.number,
    organisation: orgName(ctx.city, t.organisation_id, lang),
    category: categoryName(ctx.city, t.category, lang),
    deadline: t.resolution_due ? humanDeadline(ctx.city, t.resolution_due) : '',
    reason: extra.reason ?? '',
    // A resolution's note is its reason: what was done.
    note: extra.reason ?? '',
    question: extra.question ?? '',
  };
}
