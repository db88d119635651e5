// The parts of Telegram's Update object the bot reads (https://core.telegram.org/bots/api#update), validated at
// the edge. Unknown fields are kept (the payload is stored as sent); unknown update types are recognised and
// ignored by the caller.
import { z } from 'zod';

const User = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const Chat = z.looseObject({ id: z.number().int(), type: z.string() });

const PhotoSize = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  width: z.number(),
  height: z.number(),
  file_size: z.number().optional(),
});

const RepliedTo = z.looseObject({
  message_id: z.number().int(),
  from: User.optional(),
  text: z.string().optional(),
});

export const Message = z.looseObject({
  message_id: z.number().int(),
  date: z.number(),
  chat: Chat,
  from: User.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(PhotoSize).optional(),
  document: z
    .looseObject({ file_id: z.string().min(1), file_name: z.string().optional(), mime_type: z.string().optional(), file_size: z.number().optional() })
    .optional(),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  contact: z.looseObject({ phone_number: z.string(), first_name: z.string().optional(), user_id: z.number().int().optional() }).optional(),
  reply_to_message: RepliedTo.optional(),
});
export type Message = z.infer<typeof Message>;

export const CallbackQuery = z.looseObject({
  id: z.string(),
  from: User,
  message: z.looseObject({ message_id: z.number().int(), chat: Chat }).optional(),
  data: z.string().optional(),
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;

export const Update = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: Message.optional(),
  callback_query: CallbackQuery.optional(),
});
export type Update = z.infer<typeof Update>;

/** The update types the bot asks for (allowed_updates); anything else is acknowledged and ignored. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** The same message reaches us by webhook or by polling with the same chat and message id (update_id aside). */
export const externalId = (m: Pick<Message, 'chat' | 'message_id'>) => `${m.chat.id}:${m.message_id}`;
