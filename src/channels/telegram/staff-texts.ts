// What the bot says to staff (linking a staff account to a chat, work notifications) in Russian, Kazakh and
// English. Plain text (no parse_mode), so nothing in a category or address name needs escaping; the same text is
// the body of the staff e-mail, its first line the subject. Never a resident's name, contact or flat number.
import type { Language, Urgency } from '../../config/schema.js';

export interface AssignedNotice {
  number: string;
  category: string;
  address: string;
  /** Already in the reader's language (StaffTexts.urgency). */
  urgency: string;
  deadline: string;
  link: string;
}

/** What every notice about a ticket names; already in the reader's language. */
export interface TicketFacts {
  number: string;
  category: string;
  organisation: string;
  /** The public address: street and house, never the flat. */
  address: string;
  /** The resolution deadline in the city's time. */
  deadline: string;
  link: string;
}

export interface SummaryFacts {
  organisation: string;
  date: string;
  created: number;
  open: number;
  atRisk: number;
  overdue: number;
  paused: number;
  link: string;
}

export interface StaffTexts {
  linked: (name: string) => string;
  badCode: string;
  linkUsage: string;
  urgency: Record<Urgency, string>;
  none: string;
  assigned: (n: AssignedNotice) => string;
  /** Escalations (docs/escalation.md). `left`, `late` and `silent` are spans like "5 раб. ч". */
  atRisk: (n: TicketFacts & { left: string; why: string }) => string;
  breach: (n: TicketFacts & { late: string }) => string;
  firstResponse: (n: TicketFacts & { due: string }) => string;
  /** The return timer took the ticket from an organisation that did not react: to the queue or to `to`. */
  returned: (n: TicketFacts & { silent: string; to: string | null }) => string;
  reopened: (n: TicketFacts & { count: number }) => string;
  /** The resident answered the executor's question: the ticket is back in work, the deadline moved by the wait. */
  answered: (n: TicketFacts) => string;
  summary: (n: SummaryFacts) => string;
}

const lines = (...l: string[]) => l.join('\n');

export const STAFF_TEXTS: Record<Language, StaffTexts> = {
  ru: {
    linked: (name) => `Готово, ${name}: уведомления о работе Qala будут приходить в этот чат. Отключить — в профиле в Qala.`,
    badCode: 'Код не подошёл: он неверный или истёк. Получите новый код в профиле в Qala.',
    linkUsage: 'Чтобы получать уведомления, получите код в профиле в Qala и пришлите: /link КОД',
    urgency: { low: 'низкая', normal: 'обычная', high: 'высокая', critical: 'критическая' },
    none: 'не указан',
    assigned: (n) =>
      lines(
        `Новое обращение ${n.number} передано вашей организации.`,
        `Категория: ${n.category}`,
        `Адрес: ${n.address}`,
        `Срочность: ${n.urgency}`,
        `Срок: ${n.deadline}`,
        n.link,
      ),
    atRisk: (n) =>
      lines(
        `Срок по обращению ${n.number} под угрозой: осталось ${n.left}.`,
        `Почему: ${n.why}.`,
        `Категория: ${n.category}`,
        `Адрес: ${n.address}`,
        `Срок: ${n.deadline}`,
        n.link,
      ),
    breach: (n) =>
      lines(
        `Просрочено обращение ${n.number}${n.late ? `: срок истёк ${n.late} назад` : ': срок истёк'}.`,
        `Организация: ${n.organisation}`,
        `Категория: ${n.category}`,
        `Адрес: ${n.address}`,
        `Срок был: ${n.deadline}`,
        n.link,
      ),
    firstResponse: (n) =>
      lines(
        `Обращение ${n.number} не принято в работу к сроку первого ответа (${n.due}).`,
        `Организация: ${n.organisation}`,
        `Категория: ${n.category}`,
        n.link,
      ),
    returned: (n) =>
      lines(
        n.to
          ? `Обращение ${n.number} передано в ${n.to}: ${n.organisation} не приняла его за ${n.silent}.`
          : `Обращение ${n.number} возвращено в очередь центра: ${n.organisation} не приняла его за ${n.silent}.`,
        `Категория: ${n.category}`,
        n.link,
      ),
    reopened: (n) =>
      lines(
        `Житель вернул в работу обращение ${n.number}: проблема не решена (возвратов: ${n.count}).`,
        `Категория: ${n.category}`,
        `Адрес: ${n.address}`,
        `Срок: ${n.deadline}`,
        n.link,
      ),
    answered: (n) =>
      lines(
        `Житель ответил на вопрос по обращению ${n.number}: обращение снова в работе, срок продлён на время ожидания.`,
        `Категория: ${n.category}`,
        `Адрес: ${n.address}`,
        `Новый срок: ${n.deadline}`,
        `Ответ — в карточке обращения: ${n.link}`,
      ),
    summary: (n) =>
      lines(
        `Сводка на ${n.date}: ${n.organisation}`,
        `Новых за сутки: ${n.created}`,
        `В работе: ${n.open} (ждут ответа жителя: ${n.paused})`,
        `Под угрозой срыва срока: ${n.atRisk}`,
        `Просрочено: ${n.overdue}`,
        n.link,
      ),
  },
  kk: {
    linked: (name) => `Дайын, ${name}: Qala жұмыс хабарламалары осы чатқа келеді. Өшіру — Qala-дағы профильде.`,
    badCode: 'Код жарамсыз: қате немесе мерзімі өтіп кеткен. Qala-дағы профильден жаңа код алыңыз.',
    linkUsage: 'Хабарламалар алу үшін Qala-дағы профильден код алып, жіберіңіз: /link КОД',
    urgency: { low: 'төмен', normal: 'қалыпты', high: 'жоғары', critical: 'шұғыл' },
    none: 'көрсетілмеген',
    assigned: (n) =>
      lines(
        `${n.number} жаңа өтініші сіздің ұйымыңызға жіберілді.`,
        `Санаты: ${n.category}`,
        `Мекенжайы: ${n.address}`,
        `Шұғылдығы: ${n.urgency}`,
        `Мерзімі: ${n.deadline}`,
        n.link,
      ),
    atRisk: (n) =>
      lines(
        `${n.number} өтінішінің мерзімі қауіпте: ${n.left} қалды.`,
        `Себебі: ${n.why}.`,
        `Санаты: ${n.category}`,
        `Мекенжайы: ${n.address}`,
        `Мерзімі: ${n.deadline}`,
        n.link,
      ),
    breach: (n) =>
      lines(
        `${n.number} өтінішінің мерзімі өтті${n.late ? ` (${n.late} бұрын)` : ''}.`,
        `Ұйым: ${n.organisation}`,
        `Санаты: ${n.category}`,
        `Мекенжайы: ${n.address}`,
        `Мерзімі: ${n.deadline}`,
        n.link,
      ),
    firstResponse: (n) =>
      lines(
        `${n.number} өтініші алғашқы жауап мерзіміне (${n.due}) дейін жұмысқа алынбады.`,
        `Ұйым: ${n.organisation}`,
        `Санаты: ${n.category}`,
        n.link,
      ),
    returned: (n) =>
      lines(
        n.to
          ? `${n.number} өтініші ${n.to} ұйымына берілді: ${n.organisation} оны ${n.silent} ішінде қабылдамады.`
          : `${n.number} өтініші орталықтың кезегіне қайтарылды: ${n.organisation} оны ${n.silent} ішінде қабылдамады.`,
        `Санаты: ${n.category}`,
        n.link,
      ),
    reopened: (n) =>
      lines(
        `Тұрғын ${n.number} өтінішін қайта жұмысқа қайтарды: мәселе шешілмеген (қайтарулар саны: ${n.count}).`,
        `Санаты: ${n.category}`,
        `Мекенжайы: ${n.address}`,
        `Мерзімі: ${n.deadline}`,
        n.link,
      ),
    answered: (n) =>
      lines(
        `Тұрғын ${n.number} өтініші бойынша сұраққа жауап берді: өтініш қайта жұмыста, мерзімі күту уақытына ұзартылды.`,
        `Санаты: ${n.category}`,
        `Мекенжайы: ${n.address}`,
        `Жаңа мерзімі: ${n.deadline}`,
        `Жауап өтініш карточкасында: ${n.link}`,
      ),
    summary: (n) =>
      lines(
        `${n.date} күнгі жиынтық: ${n.organisation}`,
        `Соңғы тәулікте жаңа: ${n.created}`,
        `Жұмыста: ${n.open} (тұрғынның жауабын күтуде: ${n.paused})`,
        `Мерзімі қауіпте: ${n.atRisk}`,
        `Мерзімі өткен: ${n.overdue}`,
        n.link,
      ),
  },
  en: {
    linked: (name) => `Done, ${name}: Qala work notifications will come to this chat. Turn them off in your Qala profile.`,
    badCode: 'This code did not work: it is wrong or has expired. Get a new one in your Qala profile.',
    linkUsage: 'To get notifications, get a code in your Qala profile and send: /link CODE',
    urgency: { low: 'low', normal: 'normal', high: 'high', critical: 'critical' },
    none: 'not given',
    assigned: (n) =>
      lines(
        `New ticket ${n.number} assigned to your organisation.`,
        `Category: ${n.category}`,
        `Address: ${n.address}`,
        `Urgency: ${n.urgency}`,
        `Due by: ${n.deadline}`,
        n.link,
      ),
    atRisk: (n) =>
      lines(
        `The deadline of ticket ${n.number} is at risk: ${n.left} left.`,
        `Why: ${n.why}.`,
        `Category: ${n.category}`,
        `Address: ${n.address}`,
        `Due by: ${n.deadline}`,
        n.link,
      ),
    breach: (n) =>
      lines(
        `Ticket ${n.number} is overdue${n.late ? ` by ${n.late}` : ''}.`,
        `Organisation: ${n.organisation}`,
        `Category: ${n.category}`,
        `Address: ${n.address}`,
        `Was due by: ${n.deadline}`,
        n.link,
      ),
    firstResponse: (n) =>
      lines(
        `Ticket ${n.number} was not accepted by its first-response deadline (${n.due}).`,
        `Organisation: ${n.organisation}`,
        `Category: ${n.category}`,
        n.link,
      ),
    returned: (n) =>
      lines(
        n.to
          ? `Ticket ${n.number} was passed to ${n.to}: ${n.organisation} did not accept it within ${n.silent}.`
          : `Ticket ${n.number} went back to the centre's queue: ${n.organisation} did not accept it within ${n.silent}.`,
        `Category: ${n.category}`,
        n.link,
      ),
    reopened: (n) =>
      lines(
        `The resident reopened ticket ${n.number}: the problem is not solved (times reopened: ${n.count}).`,
        `Category: ${n.category}`,
        `Address: ${n.address}`,
        `Due by: ${n.deadline}`,
        n.link,
      ),
    answered: (n) =>
      lines(
        `The resident answered your question on ticket ${n.number}: it is back in work, the deadline moved by the wait.`,
        `Category: ${n.category}`,
        `Address: ${n.address}`,
        `New deadline: ${n.deadline}`,
        `The answer is on the ticket's page: ${n.link}`,
      ),
    summary: (n) =>
      lines(
        `Summary for ${n.date}: ${n.organisation}`,
        `New in the last 24 hours: ${n.created}`,
        `Open: ${n.open} (waiting for the resident: ${n.paused})`,
        `At risk: ${n.atRisk}`,
        `Overdue: ${n.overdue}`,
        n.link,
      ),
  },
};
