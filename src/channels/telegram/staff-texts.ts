// What the bot says to staff (linking a staff account to a chat, work notifications) in Russian, Kazakh and
// English. Plain text (no parse_mode), so nothing in a category or address name needs escaping.
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

export interface StaffTexts {
  linked: (name: string) => string;
  badCode: string;
  linkUsage: string;
  urgency: Record<Urgency, string>;
  none: string;
  assigned: (n: AssignedNotice) => string;
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
  },
};
