// The resident's conversation with the city's bot: a new appeal (words, with photos and a location before or
// after), the status of an own ticket by number, more details for an open ticket, confirming or reopening a
// resolved one and rating it, and answering the city's polls (/polls, telegram/polls.ts). Every appeal goes
// through the inbox (stored once per chat and message id), so the same message by webhook and by polling is one
// message; ticket changes go through tickets/resident.ts.
import type { Language } from '../../config/schema.js';
import { LANGUAGES } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { InboundMessage } from '../../inbox/intake.js';
import { humanDeadline } from '../../outbox/templates.js';
import { fileAppeal } from '../../pipeline.js';
import { isTicketStatus, OPEN_STATUSES } from '../../tickets/lifecycle.js';
import { findTicket, ticketForMessage } from '../../tickets/repository.js';
import { addDetails, confirmResolution, rateTicket, reopenByResident } from '../../tickets/resident.js';
import { residentChoices } from '../../tickets/resident-view.js';
import { detectLanguage } from '../../triage/text/language.js';
import { type TelegramApi, TelegramError } from './api.js';
import { RateLimited, type SendLimiter } from './limiter.js';
import { listPollsInChat, onPollCallback, POLL_CALLBACK, type PollChat } from './polls.js';
import { CHANNEL, type ChatState, chatResidents, isStored, loadState, rememberPhone, saveState, ticketOfBotMessage } from './repository.js';
import { linkChat } from './staff.js';
import { STAFF_TEXTS } from './staff-texts.js';
import { buttonOf, TEXTS } from './texts.js';
import { type CallbackQuery, externalId, type Message, type Update } from './updates.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const MAX_PHOTOS = 5;
/** A photo or location this soon after an appeal belongs to it. */
const FOLLOW_UP_MS = 30 * 60 * 1000;
const NUMBER = /\b([A-Za-z]{2,5}-\d{4}-\d{6,})\b/;
const ONLY_NUMBER = /^\s*([A-Za-z]{2,5}-\d{4}-\d{6,})\s*$/;

interface Turn {
  m: Message;
  chatId: string;
  state: ChatState;
  lang: Language;
  text: string;
}

export class TelegramBot {
  private username: Promise<string | null> | null = null;
  /** Polls (telegram/polls.ts) speak through the bot's own say and answer. */
  private readonly pollChat: PollChat = { say: (c, text, extra) => this.say(c, text, extra), answer: (q, text) => this.answer(q, text) };

  constructor(
    private readonly ctx: Context,
    private readonly api: TelegramApi,
    private readonly limiter: SendLimiter,
  ) {}

  /** Handles one update; throws only when it should be delivered again (the platform or the database failed). */
  async handle(update: Update): Promise<'handled' | 'ignored'> {
    if (update.message) return this.onMessage(update.message, update.update_id);
    if (update.callback_query) return this.onCallback(update.callback_query);
    this.ctx.log.info(
      { update: update.update_id, kinds: Object.keys(update).filter((k) => k !== 'update_id') },
      'telegram update of another kind ignored',
    );
    return 'ignored';
  }

  private async onMessage(m: Message, updateId: number): Promise<'handled' | 'ignored'> {
    // Groups and channels are not a conversation with the city (a bot there sees only mentions): not handled yet.
    if (m.chat.type !== 'private' || m.from?.is_bot) {
      this.ctx.log.info({ update: updateId, chat_type: m.chat.type }, 'telegram message outside a private chat ignored');
      return 'ignored';
    }
    const chatId = String(m.chat.id);
    const state = await loadState(this.ctx.db, chatId);
    const text = (m.text ?? m.caption ?? '').trim();
    const lang = pickLanguage(text, m.from?.language_code, state.lang, this.ctx.city.city.default_language);
    const turn: Turn = { m, chatId, state, lang, text };
    state.lang = lang;
    await this.converse(turn, updateId);
    await saveState(this.ctx.db, chatId, state);
    return 'handled';
  }

  private async converse(t: Turn, updateId: number): Promise<void> {
    const { m, state, text } = t;
    const tx = TEXTS[t.lang];
    if (m.contact) return this.onContact(t);
    const command = /^\/(\w+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text);
    if (command) {
      const [, name, arg = ''] = command;
      state.awaiting = undefined;
      if (name === 'status') {
        const n = NUMBER.exec(arg)?.[1];
        if (n) return this.showStatus(t, n);
        state.awaiting = { kind: 'number' };
        return this.say(t.chatId, tx.askNumber);
      }
      if (name === 'add') {
        const a = /^\s*([A-Za-z]{2,5}-\d{4}-\d{6,})\s*([\s\S]*)$/.exec(arg);
        if (!a?.[1] || !(a[2]?.trim() || m.photo || m.document || m.location)) return this.say(t.chatId, tx.addUsage);
        return this.addTo(t, a[1].toUpperCase(), a[2]?.trim() ?? '', updateId);
      }
      if (name === 'new') {
        state.awaiting = { kind: 'appeal' };
        return this.say(t.chatId, tx.askAppeal);
      }
      if (name === 'link' || (name === 'start' && arg.startsWith('link-'))) return this.linkStaff(t, arg.trim().replace(/^link-/, ''));
      if (name === 'polls') return listPollsInChat(this.ctx, this.pollChat, t.chatId, String(m.from?.id ?? t.chatId), t.lang);
      return this.menu(t); // /start, /help, /menu and anything unknown
    }
    const button = buttonOf(text);
    if (button === 'appeal') {
      state.awaiting = { kind: 'appeal' };
      return this.say(t.chatId, tx.askAppeal);
    }
    if (button === 'status') {
      state.awaiting = { kind: 'number' };
      return this.say(t.chatId, tx.askNumber);
    }
    const only = ONLY_NUMBER.exec(text)?.[1];
    if (only) {
      state.awaiting = undefined;
      return this.showStatus(t, only.toUpperCase());
    }
    const awaiting = state.awaiting;
    state.awaiting = undefined;
    if (awaiting?.kind === 'reopen' && text) return this.reopen(t, awaiting.number, updateId);
    if (awaiting?.kind === 'number' && /^[\d\s#№-]{1,20}$/.test(text)) return this.say(t.chatId, tx.notFound);
    const replied = await this.repliedTicket(t);
    if (replied) {
      const ticket = await findTicket(this.ctx.db, replied);
      if (ticket?.status === 'resolved' && text) return this.reopen(t, replied, updateId);
      return this.addTo(t, replied, text, updateId);
    }
    const hasMedia = Boolean(m.photo || imageDocument(m) || m.location);
    if (!text && hasMedia) return this.followUp(t, updateId);
    if (!text) return this.say(t.chatId, tx.unsupported);
    return this.appeal(t, updateId);
  }

  /** A staff member links this chat to their account with the one-time code from the web app. */
  private async linkStaff(t: Turn, code: string) {
    if (!code) return this.say(t.chatId, STAFF_TEXTS[t.lang].linkUsage);
    const linked = await linkChat(this.ctx, t.chatId, code);
    if (!linked) return this.say(t.chatId, STAFF_TEXTS[t.lang].badCode);
    await this.say(t.chatId, STAFF_TEXTS[linked.language].linked(linked.name));
  }

  private async menu(t: Turn) {
    const b = TEXTS[t.lang].buttons;
    await this.say(t.chatId, TEXTS[t.lang].menu, {
      reply_markup: {
        keyboard: [
          [{ text: b.appeal }, { text: b.status }],
          [
            { text: b.location, request_location: true },
            { text: b.contact, request_contact: true },
          ],
        ],
        resize_keyboard: true,
        is_persistent: true,
      },
    });
  }

  /** A new appeal: these words, with whatever photo or location came before them (the draft) or with them. */
  private async appeal(t: Turn, updateId: number) {
    const { m, state } = t;
    const ext = externalId(m);
    const draft = state.draft;
    const fileIds = [...(draft?.photos ?? []), ...photoIds(m, this.ctx)].slice(0, MAX_PHOTOS);
    const location = m.location ? { lat: m.location.latitude, lon: m.location.longitude } : (draft?.location ?? null);
    const attachments = (await isStored(this.ctx.db, ext)) ? [] : await this.fetchPhotos(t, fileIds);
    const name = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(' ') || undefined;
    const msg: InboundMessage = {
      channel: CHANNEL,
      externalId: ext,
      threadRef: t.chatId,
      text: t.text,
      location,
      sender: { name, phone: state.phone, channelUserId: t.chatId },
      attachments,
      raw: { update_id: updateId, message: m, ...(draft ? { draft } : {}) },
      audience: 'direct',
      // Written to the city's bot: attributed to whoever the watchlist says runs it.
      addressedTo: [(await this.botUsername()) ?? ''].filter(Boolean),
      receivedAt: new Date(m.date * 1000),
    };
    const filed = await fileAppeal(this.ctx, msg);
    state.last = { messageId: filed.messageId, at: Date.now() };
    state.draft = undefined;
  }

  /** A photo or location without words: joins the appeal just sent, or waits for the words of the next one. */
  private async followUp(t: Turn, updateId: number) {
    const { m, state } = t;
    if (state.last && Date.now() - state.last.at < FOLLOW_UP_MS) {
      const ticket = await ticketForMessage(this.ctx.db, state.last.messageId);
      if (ticket && isTicketStatus(ticket.status) && OPEN_STATUSES.has(ticket.status)) return this.addTo(t, ticket.number, '', updateId);
    }
    const draft = state.draft ?? { photos: [], messageIds: [] };
    if (draft.messageIds.includes(m.message_id)) return; // the same message again
    draft.photos = [...draft.photos, ...photoIds(m, this.ctx)].slice(0, MAX_PHOTOS);
    if (m.location) draft.location = { lat: m.location.latitude, lon: m.location.longitude };
    draft.messageIds.push(m.message_id);
    state.draft = draft;
    await this.say(t.chatId, TEXTS[t.lang].draftKept);
  }

  private async showStatus(t: Turn, number: string) {
    const tx = TEXTS[t.lang];
    const ticket = await this.ownTicket(t.chatId, t.state, number);
    if (!ticket || !isTicketStatus(ticket.status)) return this.say(t.chatId, tx.notFound);
    const open = OPEN_STATUSES.has(ticket.status);
    const deadline = open && ticket.resolution_due ? humanDeadline(this.ctx.city, ticket.resolution_due) : null;
    await this.say(t.chatId, tx.status(ticket.number, tx.statuses[ticket.status], deadline));
  }

  private async addTo(t: Turn, number: string, text: string, updateId: number) {
    const tx = TEXTS[t.lang];
    const ticket = await this.ownTicket(t.chatId, t.state, number);
    if (!ticket?.resident_id) return this.say(t.chatId, tx.notFound);
    const ext = externalId(t.m);
    const attachments = (await isStored(this.ctx.db, ext)) ? [] : await this.fetchPhotos(t, photoIds(t.m, this.ctx));
    try {
      const r = await addDetails(this.ctx, number, ticket.resident_id, {
        channel: CHANNEL,
        externalId: ext,
        threadRef: t.chatId,
        text,
        location: t.m.location ? { lat: t.m.location.latitude, lon: t.m.location.longitude } : null,
        attachments,
        raw: { update_id: updateId, message: t.m },
        receivedAt: new Date(t.m.date * 1000),
      });
      if (!r.duplicate) await this.say(t.chatId, tx.detailsAdded(number));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await this.say(t.chatId, err.code === 'invalid_transition' ? tx.ticketClosed(number) : tx.notFound);
    }
  }

  /** The resident says the problem is still there: their words join the ticket and it goes back to work. */
  private async reopen(t: Turn, number: string, updateId: number) {
    const tx = TEXTS[t.lang];
    const ticket = await this.ownTicket(t.chatId, t.state, number);
    if (!ticket?.resident_id) return this.say(t.chatId, tx.notFound);
    if (ticket.status !== 'resolved') return this.addTo(t, number, t.text, updateId);
    await addDetails(this.ctx, number, ticket.resident_id, {
      channel: CHANNEL,
      externalId: externalId(t.m),
      threadRef: t.chatId,
      text: t.text,
      raw: { update_id: updateId, message: t.m, reopen: true },
      receivedAt: new Date(t.m.date * 1000),
    });
    try {
      await reopenByResident(this.ctx, number, ticket.resident_id, t.text);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // Past the confirmation window the words stay on the ticket, and a new appeal is the way forward.
      await this.say(t.chatId, windowClosed(err) ? tx.ticketClosed(number) : tx.notAwaiting);
    }
  }

  private async onContact(t: Turn) {
    const c = t.m.contact;
    if (!c) return;
    const tx = TEXTS[t.lang];
    // Only the user's own number (the contact button) identifies them; anyone else's card is not theirs to give.
    if (c.user_id === undefined || c.user_id !== t.m.from?.id) return this.say(t.chatId, tx.contactNotOwn);
    const digits = c.phone_number.replace(/\D/g, '');
    if (digits.length < 5) return this.say(t.chatId, tx.contactNotOwn);
    t.state.phone = `+${digits}`;
    await rememberPhone(this.ctx.db, t.chatId, t.state.phone);
    await this.say(t.chatId, tx.contactSaved);
  }

  private async onCallback(q: CallbackQuery): Promise<'handled' | 'ignored'> {
    const chatId = String(q.message?.chat.id ?? q.from.id);
    const state = await loadState(this.ctx.db, chatId);
    const lang = pickLanguage('', q.from.language_code, state.lang, this.ctx.city.city.default_language);
    const tx = TEXTS[lang];
    if (POLL_CALLBACK.test(q.data ?? '')) return onPollCallback(this.ctx, this.pollChat, q, chatId, lang);
    const parsed = /^(ok|no|rate):([A-Za-z]{2,5}-\d{4}-\d{6,})(?::([1-5]))?$/.exec(q.data ?? '');
    if (!parsed) {
      this.ctx.log.info({ data: q.data }, 'telegram callback with unknown data ignored');
      await this.answer(q, '');
      return 'ignored';
    }
    const [, kind, number = '', score] = parsed;
    const ticket = await this.ownTicket(chatId, state, number);
    if (!ticket?.resident_id) {
      await this.answer(q, tx.notFound);
      return 'handled';
    }
    try {
      if (kind === 'ok') {
        await confirmResolution(this.ctx, number, ticket.resident_id);
        await this.answer(q, tx.confirmed);
      } else if (kind === 'no') {
        if (ticket.status !== 'resolved') throw AppError.invalidTransition('not resolved');
        if (!residentChoices(this.ctx.city, ticket, this.ctx.now()).reopen) {
          await this.answer(q, '');
          await this.say(chatId, tx.ticketClosed(number));
          return 'handled';
        }
        state.awaiting = { kind: 'reopen', number };
        await saveState(this.ctx.db, chatId, state);
        await this.answer(q, '');
        await this.say(chatId, tx.askReopenReason(number));
      } else {
        await rateTicket(this.ctx, number, ticket.resident_id, Number(score));
        await this.answer(q, tx.rated(Number(score)));
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await this.answer(q, err.code === 'not_found' ? tx.notFound : tx.notAwaiting);
    }
    return 'handled';
  }

  /** The ticket, if this chat speaks for its resident; otherwise nothing (as if the number did not exist). */
  private async ownTicket(chatId: string, state: ChatState, number: string) {
    const ticket = await findTicket(this.ctx.db, number.toUpperCase());
    if (!ticket || ticket.resident_id === null) return undefined;
    const residents = await chatResidents(this.ctx.db, chatId, state.phone);
    return residents.has(ticket.resident_id) ? ticket : undefined;
  }

  /** The ticket a reply to one of the bot's messages is about. */
  private async repliedTicket(t: Turn): Promise<string | null> {
    const r = t.m.reply_to_message;
    if (!r?.from?.is_bot) return null;
    return (await ticketOfBotMessage(this.ctx.db, t.chatId, r.message_id)) ?? NUMBER.exec(r.text ?? '')?.[1] ?? null;
  }

  private async fetchPhotos(t: Turn, fileIds: string[]) {
    const out: { contentType: string; filename?: string; bytes: Buffer }[] = [];
    for (const fileId of fileIds) {
      try {
        const f = await this.api.call<{ file_path?: string; file_size?: number }>('getFile', { file_id: fileId });
        if (!f.file_path) throw new TelegramError('getFile', 400, 'no file_path');
        if ((f.file_size ?? 0) > MAX_PHOTO_BYTES) throw new TelegramError('file', 413, 'too large');
        const bytes = await this.api.download(f.file_path, MAX_PHOTO_BYTES);
        out.push({ contentType: contentTypeOf(f.file_path), filename: f.file_path.split('/').pop(), bytes });
      } catch (err) {
        // The platform is busy or down: deliver the update again later. A file it refuses or too large: go on without.
        if (!(err instanceof TelegramError) || err.code === 0 || err.code === 429 || err.code >= 500) throw err;
        this.ctx.log.warn({ err: err.message }, 'telegram photo not saved');
        if (err.code === 413) await this.say(t.chatId, TEXTS[t.lang].tooLarge);
      }
    }
    return out;
  }

  /** The bot's @username (getMe), asked once; a failure is asked again next time. */
  private botUsername(): Promise<string | null> {
    this.username ??= this.api.call<{ username?: string }>('getMe').then(
      (me) => me.username ?? null,
      (err) => {
        this.ctx.log.warn({ err: (err as Error).message }, 'telegram getMe failed');
        this.username = null;
        return null;
      },
    );
    return this.username;
  }

  private async answer(q: CallbackQuery, text: string) {
    try {
      await this.api.call('answerCallbackQuery', { callback_query_id: q.id, ...(text ? { text } : {}) });
    } catch (err) {
      // A query answered late (after a redelivery) is refused by Telegram; the action itself is done.
      this.ctx.log.warn({ err: (err as Error).message }, 'telegram callback not answered');
    }
  }

  /** The bot's own words in the chat. Best effort: a lost prompt is not worth delivering the update again. */
  async say(chatId: string, text: string, extra: Record<string, unknown> = {}) {
    try {
      await this.limiter.acquire(chatId, 5000);
      await this.api.call('sendMessage', { chat_id: chatId, text, ...extra });
    } catch (err) {
      if (err instanceof TelegramError && err.code === 429) this.limiter.pause(chatId, err.retryAfter ?? 1);
      if (!(err instanceof TelegramError || err instanceof RateLimited)) throw err;
      this.ctx.log.warn({ err: err.message }, 'telegram reply not sent');
    }
  }
}

/** Language of the bot's own words: the text when it is clear, else what the chat used before, else the app's. */
export function pickLanguage(text: string, code: string | undefined, remembered: Language | undefined, fallback: Language): Language {
  if (text.length >= 8 && !text.startsWith('/')) {
    const d = detectLanguage(text);
    if (d.language !== 'mixed' && d.confidence >= 0.5) return d.language;
  }
  if (remembered) return remembered;
  const fromCode = code?.toLowerCase().slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(fromCode ?? '') ? (fromCode as Language) : fallback;
}

/** The refusal to reopen after the confirmation window (tickets/resident.ts). */
function windowClosed(err: AppError): boolean {
  return (err.details as { reason?: string } | undefined)?.reason === 'window_closed';
}

function imageDocument(m: Message) {
  return m.document?.mime_type?.startsWith('image/') ? m.document : undefined;
}

/** The largest size of a photo that fits under the cap (Telegram lists sizes smallest first). */
function photoIds(m: Message, ctx: Context): string[] {
  if (m.photo?.length) {
    const fits = m.photo.filter((p) => (p.file_size ?? 0) <= MAX_PHOTO_BYTES);
    const best = fits[fits.length - 1] ?? m.photo[m.photo.length - 1];
    return best ? [best.file_id] : [];
  }
  const doc = imageDocument(m);
  if (doc) return [doc.file_id];
  if (m.document) ctx.log.info({ mime: m.document.mime_type }, 'telegram document that is not an image ignored');
  return [];
}

function contentTypeOf(path: string): string {
  const ext = path.split('.').pop()?.toLowerCase();
  if (ext === 'png') return 'image/png';
  if (ext === 'webp') return 'image/webp';
  if (ext === 'heic') return 'image/heic';
  return 'image/jpeg';
}
