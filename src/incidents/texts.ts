// What staff read about an incident in their own language: its title when no one gave it one, and the notice the
// executors of the organisation it is assigned to receive in the messenger. Residents never get these: they hear
// of their own ticket through the city's templates (children.ts). No personal data goes in: the address is the
// public part (street and house) and the count is of reports, not of people.
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { categoryName } from '../outbox/templates.js';
import { redactPersonalData } from '../privacy.js';

interface Named {
  id: string;
  title: string | null;
  category: string | null;
  address: string | null;
}

/** The operator's title, or "category — address" in the reader's language, or the number alone. */
export function incidentTitle(city: City, i: Named, lang: Language): string {
  if (i.title) return i.title;
  const what = categoryName(city, i.category, lang);
  const where = i.address ? redactPersonalData(i.address) : '';
  return [what, where].filter(Boolean).join(' — ') || i.id;
}

export interface AssignedNotice {
  number: string;
  title: string;
  count: number;
  deadline: string;
  link: string;
}

export const INCIDENT_NOTICE: Record<Language, (n: AssignedNotice) => string> = {
  ru: (n) => `Инцидент ${n.number} передан вашей организации: ${n.title}. Обращений жителей: ${n.count}. Ближайший срок: ${n.deadline}.\n${n.link}`,
  kk: (n) =>
    `Инцидент ${n.number} сіздің ұйымыңызға берілді: ${n.title}. Тұрғындар өтініштері: ${n.count}. Ең жақын мерзімі: ${n.deadline}.\n${n.link}`,
  en: (n) =>
    `Incident ${n.number} is now your organisation's: ${n.title}. Residents' reports: ${n.count}. Earliest deadline: ${n.deadline}.\n${n.link}`,
};

/** The deadline nobody may miss: the earliest of the open tickets'. */
export function earliest(dates: readonly (Date | null)[]): Date | null {
  const ms = dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return ms.length ? new Date(Math.min(...ms)) : null;
}
