// What the bot itself says (menus, buttons, prompts, answers about status) in Russian, Kazakh and English.
// Replies about a ticket's progress are the city's templates (config/cities/<city>/templates.yaml), not these.
import type { Language } from '../../config/schema.js';
import type { TicketStatus } from '../../tickets/lifecycle.js';

export interface BotTexts {
  menu: string;
  buttons: { appeal: string; status: string; location: string; contact: string };
  askAppeal: string;
  askNumber: string;
  notFound: string;
  status: (number: string, status: string, deadline: string | null) => string;
  statuses: Record<TicketStatus, string>;
  detailsAdded: (number: string) => string;
  ticketClosed: (number: string) => string;
  draftKept: string;
  contactSaved: string;
  contactNotOwn: string;
  addUsage: string;
  unsupported: string;
  tooLarge: string;
  confirm: string;
  reopen: string;
  askReopenReason: (number: string) => string;
  confirmed: string;
  notAwaiting: string;
  ratePrompt: string;
  rated: (score: number) => string;
}

export const TEXTS: Record<Language, BotTexts> = {
  ru: {
    menu:
      'Здравствуйте! Это бот городского центра обращений. Опишите проблему одним сообщением — можно с фото и геопозицией, — и мы зарегистрируем обращение и сообщим номер и срок.\n\n' +
      'Статус: пришлите номер обращения (например, AST-2026-000123) или /status НОМЕР. Дополнить обращение: ответьте на наше сообщение или /add НОМЕР текст. Опросы города: /polls',
    buttons: { appeal: '📝 Новое обращение', status: '🔎 Статус обращения', location: '📍 Отправить геопозицию', contact: '📞 Поделиться номером' },
    askAppeal: 'Опишите проблему: что случилось и где (улица, дом). Можно приложить фото и геопозицию.',
    askNumber: 'Пришлите номер обращения, например AST-2026-000123.',
    notFound: 'Обращение с таким номером среди ваших не найдено.',
    status: (n, s, d) => `Обращение ${n}: ${s}.${d ? ` Срок: ${d}.` : ''}`,
    statuses: {
      new: 'зарегистрировано, оператор уточняет исполнителя',
      assigned: 'передано исполнителю',
      in_progress: 'в работе',
      waiting: 'ждём вашего ответа на вопрос исполнителя, срок приостановлен',
      resolved: 'выполнено, ждём вашего подтверждения',
      closed: 'закрыто',
      rejected: 'отклонено',
      duplicate: 'объединено с другим обращением',
      reopened: 'возвращено в работу',
    },
    detailsAdded: (n) => `Добавили к обращению ${n}.`,
    ticketClosed: (n) => `Обращение ${n} уже закрыто. Если проблема снова появилась, опишите её новым сообщением.`,
    draftKept: 'Получили. Теперь опишите проблему словами: что случилось и где.',
    contactSaved: 'Спасибо, номер сохранён: по нему вас найдут и по звонку в 109.',
    contactNotOwn: 'Можно поделиться только своим номером — кнопкой «Поделиться номером».',
    addUsage: 'Чтобы дополнить обращение: /add НОМЕР текст — или ответьте на наше сообщение о нём.',
    unsupported: 'Я понимаю текст, фото, геопозицию и номер телефона.',
    tooLarge: 'Фото слишком большое (больше 5 МБ) и не сохранено.',
    confirm: '✅ Проблема решена',
    reopen: '↩️ Не решена',
    askReopenReason: (n) => `Напишите, что осталось не так по обращению ${n}, — мы вернём его в работу.`,
    confirmed: 'Спасибо за подтверждение!',
    notAwaiting: 'Это обращение уже не ждёт подтверждения.',
    ratePrompt: 'Оцените, пожалуйста, как решили вопрос:',
    rated: (s) => `Спасибо за оценку: ${s} из 5.`,
  },
  kk: {
    menu:
      'Сәлеметсіз бе! Бұл қалалық өтініштер орталығының боты. Мәселені бір хабарламамен сипаттаңыз — фото мен геолокация қоса аласыз, — өтінішті тіркеп, нөмірі мен мерзімін хабарлаймыз.\n\n' +
      'Мәртебесі: өтініш нөмірін жіберіңіз (мысалы, AST-2026-000123) немесе /status НӨМІР. Өтінішті толықтыру: біздің хабарламаға жауап беріңіз немесе /add НӨМІР мәтін. Қала сауалнамалары: /polls',
    buttons: { appeal: '📝 Жаңа өтініш', status: '🔎 Өтініш мәртебесі', location: '📍 Геолокация жіберу', contact: '📞 Нөмірмен бөлісу' },
    askAppeal: 'Мәселені сипаттаңыз: не болды және қай жерде (көше, үй). Фото мен геолокация қоса аласыз.',
    askNumber: 'Өтініш нөмірін жіберіңіз, мысалы AST-2026-000123.',
    notFound: 'Мұндай нөмірлі өтініш сіздің өтініштеріңіздің арасынан табылмады.',
    status: (n, s, d) => `${n} өтініші: ${s}.${d ? ` Мерзімі: ${d}.` : ''}`,
    statuses: {
      new: 'тіркелді, оператор орындаушыны анықтап жатыр',
      assigned: 'орындаушыға жіберілді',
      in_progress: 'орындалуда',
      waiting: 'орындаушының сұрағына жауабыңызды күтеміз, мерзім тоқтатылды',
      resolved: 'орындалды, сіздің растауыңызды күтеміз',
      closed: 'жабылды',
      rejected: 'қабылданбады',
      duplicate: 'басқа өтінішпен біріктірілді',
      reopened: 'қайта қарауға жіберілді',
    },
    detailsAdded: (n) => `${n} өтінішіне қосылды.`,
    ticketClosed: (n) => `${n} өтініші жабылған. Мәселе қайта пайда болса, оны жаңа хабарламамен сипаттаңыз.`,
    draftKept: 'Қабылдадық. Енді мәселені сөзбен сипаттаңыз: не болды және қай жерде.',
    contactSaved: 'Рақмет, нөміріңіз сақталды: 109-ға қоңырау шалғанда да сізді осы нөмір бойынша табады.',
    contactNotOwn: 'Тек өз нөміріңізбен бөлісуге болады — «Нөмірмен бөлісу» батырмасымен.',
    addUsage: 'Өтінішті толықтыру үшін: /add НӨМІР мәтін — немесе ол туралы біздің хабарламаға жауап беріңіз.',
    unsupported: 'Мен мәтінді, фотоны, геолокацияны және телефон нөмірін түсінемін.',
    tooLarge: 'Фото тым үлкен (5 МБ-тан артық), сақталмады.',
    confirm: '✅ Мәселе шешілді',
    reopen: '↩️ Шешілмеді',
    askReopenReason: (n) => `${n} өтініші бойынша не дұрыс болмағанын жазыңыз — оны қайта қарауға жібереміз.`,
    confirmed: 'Растағаныңызға рақмет!',
    notAwaiting: 'Бұл өтініш енді растауды күтпейді.',
    ratePrompt: 'Мәселенің қалай шешілгенін бағалаңыз:',
    rated: (s) => `Бағаңызға рақмет: 5-тен ${s}.`,
  },
  en: {
    menu:
      'Hello! This is the bot of the city’s appeals centre. Describe the problem in one message — you can add a photo and your location — and we will register it and tell you its number and deadline.\n\n' +
      'Status: send the request number (e.g. AST-2026-000123) or /status NUMBER. To add details: reply to our message or send /add NUMBER text. City polls: /polls',
    buttons: { appeal: '📝 New request', status: '🔎 Request status', location: '📍 Send my location', contact: '📞 Share my phone number' },
    askAppeal: 'Describe the problem: what happened and where (street, building). You can add a photo and your location.',
    askNumber: 'Send the request number, e.g. AST-2026-000123.',
    notFound: 'No request with this number was found among yours.',
    status: (n, s, d) => `Request ${n}: ${s}.${d ? ` Due by: ${d}.` : ''}`,
    statuses: {
      new: 'registered, an operator is choosing the service',
      assigned: 'passed to the responsible service',
      in_progress: 'in progress',
      waiting: 'waiting for your answer to the service’s question, deadline on hold',
      resolved: 'resolved, waiting for your confirmation',
      closed: 'closed',
      rejected: 'rejected',
      duplicate: 'merged with another request',
      reopened: 'reopened',
    },
    detailsAdded: (n) => `Added to request ${n}.`,
    ticketClosed: (n) => `Request ${n} is already closed. If the problem is back, describe it in a new message.`,
    draftKept: 'Got it. Now describe the problem in words: what happened and where.',
    contactSaved: 'Thank you, your number is saved: the 109 line will find your requests by it too.',
    contactNotOwn: 'You can share only your own number — use the “Share my phone number” button.',
    addUsage: 'To add details: /add NUMBER text — or reply to our message about it.',
    unsupported: 'I understand text, photos, a location and a phone number.',
    tooLarge: 'The photo is too large (over 5 MB) and was not saved.',
    confirm: '✅ Problem solved',
    reopen: '↩️ Not solved',
    askReopenReason: (n) => `Tell us what is still wrong with request ${n}, and we will reopen it.`,
    confirmed: 'Thank you for confirming!',
    notAwaiting: 'This request is no longer waiting for confirmation.',
    ratePrompt: 'Please rate how the problem was handled:',
    rated: (s) => `Thank you for your rating: ${s} out of 5.`,
  },
};

/** Which of the menu buttons (in any language) a text is, if any. */
export function buttonOf(text: string): keyof BotTexts['buttons'] | null {
  for (const t of Object.values(TEXTS)) {
    for (const [key, label] of Object.entries(t.buttons)) if (text.trim() === label) return key as keyof BotTexts['buttons'];
  }
  return null;
}
