// Polls in the resident's Telegram chat: /polls lists the open polls in the chat's language, each with its options
// as inline buttons (callback `poll:<id>:<option>`); after the answer, the district is asked as buttons
// (`pd:<id>:<district>` or `pd:<id>:-` to skip) when the poll asks for it; then a confirmation. The respondent is
// the Telegram user (from.id), so one person has one answer per poll; choosing again changes it (polls/store.ts).
import type { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { respondentKey } from '../../polls/model.js';
import { answerOf, answerPoll, findPoll, openPolls, setAnswerDistrict } from '../../polls/store.js';
import type { CallbackQuery } from './updates.js';

/** What the bot lends this module: its own words in a chat and its answer to a button press. */
export interface PollChat {
  say(chatId: string, text: string, extra?: Record<string, unknown>): Promise<void>;
  answer(q: CallbackQuery, text: string): Promise<void>;
}

interface PollTexts {
  none: string;
  pick: string;
  yours: (option: string) => string;
  recorded: string;
  askDistrict: string;
  skip: string;
  thanks: (option: string) => string;
  districtNoted: (district: string) => string;
  districtSkipped: string;
  notOpen: string;
}

export const POLL_TEXTS: Record<Language, PollTexts> = {
  ru: {
    none: 'Сейчас открытых опросов нет. Загляните позже: /polls',
    pick: 'Выберите ответ кнопкой ниже.',
    yours: (o) => `Ваш ответ: «${o}». Можно изменить, пока опрос открыт.`,
    recorded: 'Ответ принят',
    askDistrict: 'В каком районе вы живёте? Это необязательно: так результаты точнее отражают весь город.',
    skip: 'Не указывать',
    thanks: (o) => `Спасибо! Ваш ответ «${o}» учтён. Один человек — один ответ: новый выбор заменит прежний, пока опрос открыт.`,
    districtNoted: (d) => `Район: ${d}. Спасибо за участие!`,
    districtSkipped: 'Хорошо, без района. Спасибо за участие!',
    notOpen: 'Этот опрос уже закрыт.',
  },
  kk: {
    none: 'Қазір ашық сауалнама жоқ. Кейінірек қараңыз: /polls',
    pick: 'Төмендегі батырмамен жауапты таңдаңыз.',
    yours: (o) => `Сіздің жауабыңыз: «${o}». Сауалнама ашық тұрғанда өзгертуге болады.`,
    recorded: 'Жауап қабылданды',
    askDistrict: 'Қай ауданда тұрасыз? Міндетті емес: осылай нәтиже бүкіл қаланы дәлірек көрсетеді.',
    skip: 'Көрсетпеймін',
    thanks: (o) => `Рақмет! «${o}» жауабыңыз есептелді. Бір адам — бір жауап: сауалнама ашық тұрғанда жаңа таңдау бұрынғысын ауыстырады.`,
    districtNoted: (d) => `Аудан: ${d}. Қатысқаныңызға рақмет!`,
    districtSkipped: 'Жақсы, аудансыз. Қатысқаныңызға рақмет!',
    notOpen: 'Бұл сауалнама жабылған.',
  },
  en: {
    none: 'There are no open polls right now. Check again later: /polls',
    pick: 'Choose your answer with a button below.',
    yours: (o) => `Your answer: “${o}”. You can change it while the poll is open.`,
    recorded: 'Answer recorded',
    askDistrict: 'Which district do you live in? Optional: it lets the results speak for the whole city more accurately.',
    skip: 'Rather not say',
    thanks: (o) => `Thank you! Your answer “${o}” is counted. One person, one answer: choosing again replaces it while the poll is open.`,
    districtNoted: (d) => `District: ${d}. Thank you for taking part!`,
    districtSkipped: 'All right, no district. Thank you for taking part!',
    notOpen: 'This poll is closed.',
  },
};

export const POLL_CALLBACK = /^(poll|pd):(\d{1,12}):([a-z0-9-]{1,40})$/;

/** /polls: one message per open poll, its options as buttons; the resident's earlier answer is mentioned. */
export async function listPollsInChat(ctx: Context, chat: PollChat, chatId: string, userId: string, lang: Language): Promise<void> {
  const tx = POLL_TEXTS[lang];
  const polls = await openPolls(ctx.db, ctx.now());
  if (!polls.length) return chat.say(chatId, tx.none);
  for (const p of polls) {
    const mine = await answerOf(ctx.db, p.id, respondentKey('telegram', userId));
    const chosen = mine && p.options.find((o) => o.id === mine.option_id);
    const text = `${p.question[lang]}\n\n${chosen ? tx.yours(chosen.label[lang]) : tx.pick}`;
    await chat.say(chatId, text, {
      reply_markup: { inline_keyboard: p.options.map((o) => [{ text: o.label[lang], callback_data: `poll:${p.id}:${o.id}` }]) },
    });
  }
}

/** A press on a poll's option or district button. */
export async function onPollCallback(ctx: Context, chat: PollChat, q: CallbackQuery, chatId: string, lang: Language): Promise<'handled' | 'ignored'> {
  const m = POLL_CALLBACK.exec(q.data ?? '');
  if (!m) return 'ignored';
  const [, kind, id, value = ''] = m;
  const pollId = Number(id);
  const tx = POLL_TEXTS[lang];
  const userId = String(q.from.id);
  const poll = await findPoll(ctx.db, pollId);
  if (!poll) {
    await chat.answer(q, tx.notOpen);
    return 'handled';
  }
  if (kind === 'pd') {
    const district = value === '-' ? null : value;
    const name = district ? ctx.city.city.districts.find((d) => d.id === district)?.name[lang] : undefined;
    if (district && !name) {
      await chat.answer(q, '');
      return 'ignored';
    }
    const ok = await setAnswerDistrict(ctx, pollId, 'telegram', userId, district);
    await chat.answer(q, ok ? tx.recorded : tx.notOpen);
    if (ok) await chat.say(chatId, name ? tx.districtNoted(name) : tx.districtSkipped);
    return 'handled';
  }
  const option = poll.options.find((o) => o.id === value);
  if (!option) {
    await chat.answer(q, '');
    return 'ignored';
  }
  try {
    // The district is asked next (when the poll asks): a changed answer keeps the district given before.
    await answerPoll(ctx, { pollId, optionId: option.id, channel: 'telegram', respondent: userId });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await chat.answer(q, tx.notOpen);
    return 'handled';
  }
  await chat.answer(q, tx.recorded);
  await chat.say(chatId, tx.thanks(option.label[lang]));
  if (poll.ask_district) {
    const buttons = ctx.city.city.districts.map((d) => ({ text: d.name[lang], callback_data: `pd:${pollId}:${d.id}` }));
    const rows: { text: string; callback_data: string }[][] = [];
    for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
    rows.push([{ text: tx.skip, callback_data: `pd:${pollId}:-` }]);
    await chat.say(chatId, tx.askDistrict, { reply_markup: { inline_keyboard: rows } });
  }
  return 'handled';
}
