// The operator's reply to the resident: one of the city's templates filled with the ticket's variables in the
// resident's language, or the operator's own words (often a template they edited). It goes through the outbox to
// the channel the resident wrote in, and reaches the conversation once delivered (outbox/relay.ts); the audit row
// keeps who replied and with what template. Replies carry staff-written words, so no resident data is added here.
import { can, type StaffUser } from '../auth/policies.js';
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { commitChange } from '../outbox/change.js';
import { hasTemplate, render, templateKey } from '../outbox/templates.js';
import { residentVars } from './tell-resident.js';

export const MAX_REPLY = 2000;

/** Templates an operator may pick: the city's general keys (`reply.*` first when the city wrote some). */
export function replyTemplateKeys(ctx: Context): string[] {
  const general = Object.keys(ctx.city.templates).filter((k) => !k.includes('@'));
  const own = general.filter((k) => k.startsWith('reply.'));
  return [...own, ...general.filter((k) => !k.startsWith('reply.'))];
}

/** Every template rendered for this ticket in the resident's language, for the operator to pick and edit. */
export function renderedTemplates(ctx: Context, t: TicketForReply): { key: string; language: Language; text: string }[] {
  const lang = languageOf(ctx, t);
  const vars = residentVars(ctx, t, lang);
  return replyTemplateKeys(ctx).map((key) => ({ key, language: lang, text: render(ctx.city, key, lang, vars, t.category) }));
}

interface TicketForReply {
  id: number;
  number: string;
  channel: string;
  language: string;
  resident_id: number | null;
  organisation_id: string | null;
  category: string | null;
  resolution_due: Date | null;
}

const languageOf = (ctx: Context, t: { language: string }): Language =>
  (['ru', 'kk', 'en'] as const).find((l) => l === t.language) ?? ctx.city.city.default_language;

export interface ReplyInput {
  text?: string | undefined;
  template?: string | undefined;
  /** The client's key for this reply: a retried request sends once. */
  key: string;
}

export async function replyToResident(ctx: Context, user: StaffUser, number: string, input: ReplyInput) {
  const own = input.text?.trim();
  if (!own && !input.template) throw AppError.validation('a reply needs a text or a template');
  if (own && own.length > MAX_REPLY) throw AppError.validation(`a reply is at most ${MAX_REPLY} characters`);
  if (input.template && (!hasTemplate(ctx.city, input.template) || input.template.includes('@')))
    throw AppError.validation(`unknown template ${input.template}`);
  return commitChange(ctx.db, { type: 'user', id: String(user.id) }, async (change) => {
    const t = await change.tx.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirst();
    if (!t) throw AppError.notFound('ticket', number);
    // Speaking for the city to the resident is the centre's work: whoever may assign the ticket may answer it.
    if (!can(user, 'assign', t) && !can(user, 'ask', t)) throw AppError.forbidden(`reply on ticket ${number}`);
    const lang = languageOf(ctx, t);
    const text = own ?? render(ctx.city, input.template as string, lang, residentVars(ctx, t, lang), t.category);
    change.send({
      idempotencyKey: `ticket:${number}:reply:${input.key}`,
      channel: t.channel,
      ticketId: t.id,
      target: { thread: number, resident_id: t.resident_id },
      // `template: 'reply'`: channels must not take an edited text for the status message it started from (the
      // Telegram confirm buttons go with status.resolved only); `based_on` keeps which one it was.
      payload: {
        text,
        language: lang,
        template: 'reply',
        based_on: input.template ? templateKey(ctx.city, input.template, t.category) : null,
      },
    });
    change.audit({
      action: 'ticket.reply',
      entityType: 'ticket',
      entityId: number,
      data: { channel: t.channel, language: lang, template: input.template ?? null, edited: !!own && !!input.template, length: text.length },
    });
    return { number, channel: t.channel, language: lang, text };
  });
}
