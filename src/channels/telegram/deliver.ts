// Replies from the outbox to the resident's chat: the acknowledgement answers the resident's own message; a
// "resolved" update carries the confirm / reopen buttons, a "closed" one (by the resident or when the window ran
// out) the 1–5 rating, and an executor's question asks for a reply, so the answer joins the ticket. Each row is sent at
// most once: a row already in the ticket's conversation is skipped, and 429 pauses the chat and throws so the
// relay tries again later.
import { reportFiles } from '../../analytics/report-archive.js';
import type { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { type OutboxRow, recordInConversation } from '../../outbox/relay.js';
import { replyContext } from '../connector.js';
import { type TelegramApi, TelegramError } from './api.js';
import type { SendLimiter } from './limiter.js';
import { alreadyDelivered } from './repository.js';
import { TEXTS } from './texts.js';

const MAX_TEXT = 4096;

export async function deliverToChat(ctx: Context, api: TelegramApi, limiter: SendLimiter, row: OutboxRow): Promise<void> {
  if (await alreadyDelivered(ctx.db, row.idempotency_key)) return;
  const rc = await replyContext(ctx.db, row);
  const source = rc.source?.raw as { message?: { message_id?: number; chat?: { id?: number } } } | undefined;
  const chatId = source?.message?.chat?.id !== undefined ? String(source.message.chat.id) : (rc.source?.thread_ref ?? rc.channelUserId);
  if (!chatId) throw new Error(`outbox ${row.id}: no Telegram chat to answer (ticket ${rc.ticket?.number ?? '-'})`);
  const lang = (TEXTS[row.payload.language as Language] ? row.payload.language : ctx.city.city.default_language) as Language;
  const template = typeof row.payload.template === 'string' ? row.payload.template : '';
  const number = rc.ticket?.number;
  const params: Record<string, unknown> = { chat_id: chatId, text: row.payload.text.slice(0, MAX_TEXT) };
  if (template.startsWith('acknowledgement') && source?.message?.message_id !== undefined) {
    params.reply_parameters = { message_id: source.message.message_id, allow_sending_without_reply: true };
  }
  if (number && template === 'status.resolved') {
    params.reply_markup = {
      inline_keyboard: [
        [
          { text: TEXTS[lang].confirm, callback_data: `ok:${number}` },
          { text: TEXTS[lang].reopen, callback_data: `no:${number}` },
        ],
      ],
    };
  }
  if (number && template === 'question.asked') params.reply_markup = { force_reply: true };
  if (number && (template === 'status.closed' || template === 'status.auto_closed')) {
    params.text = `${params.text}\n\n${TEXTS[lang].ratePrompt}`.slice(0, MAX_TEXT);
    params.reply_markup = { inline_keyboard: [[1, 2, 3, 4, 5].map((s) => ({ text: `${s} ⭐`, callback_data: `rate:${number}:${s}` }))] };
  }
  await limiter.acquire(chatId, 5000);
  let sent: { message_id: number };
  try {
    sent = await api.call<{ message_id: number }>('sendMessage', params);
  } catch (err) {
    if (err instanceof TelegramError && err.code === 429) limiter.pause(chatId, err.retryAfter ?? 1);
    throw err;
  }
  await recordInConversation(ctx.db, row, { platform_id: String(sent.message_id), chat_id: chatId });
}

/** A report from the archive (payload.report_id: the daily digest) as a document to a staff chat, its caption the
 * payload's text; the file is read from the archive when sent, so the outbox row stays small. */
export async function sendReportDocument(ctx: Context, api: TelegramApi, chatId: string, row: OutboxRow): Promise<{ message_id: number }> {
  const [file] = await reportFiles(ctx.db, [Number(row.payload.report_id)]);
  if (!file) throw new Error(`outbox ${row.id}: report ${String(row.payload.report_id)} is not in the archive`);
  const params = { chat_id: chatId, caption: row.payload.text.slice(0, 1024) };
  return api.upload<{ message_id: number }>('sendDocument', params, {
    field: 'document',
    filename: file.filename,
    bytes: file.content,
    contentType: file.contentType,
  });
}
