// Reply templates from the city's configuration, filled in the resident's language.
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { formatLocal } from '../sla/calendar.js';

export type TemplateVars = Partial<Record<'number' | 'deadline' | 'organisation' | 'category' | 'reason', string>>;

export function render(city: City, key: string, language: Language, vars: TemplateVars): string {
  const t = city.templates[key];
  if (!t) throw new Error(`no template ${key}`);
  return t[language].replace(/\{(\w+)\}/g, (m, name: string) => vars[name as keyof TemplateVars] ?? m);
}

/** A deadline as residents read it: 26.11.2026 18:00 (UTC+5). */
export function humanDeadline(city: City, at: Date): string {
  const iso = formatLocal(city.calendar, at);
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 16)];
  const [y, m, d] = date.split('-');
  const off = city.city.utc_offset_minutes / 60;
  return `${d}.${m}.${y} ${time} (UTC${off >= 0 ? '+' : ''}${off})`;
}

export function orgName(city: City, id: string | null, language: Language): string {
  return city.organisations.find((o) => o.id === id)?.name[language] ?? '';
}

export function categoryName(city: City, code: string | null, language: Language): string {
  return city.categories.find((c) => c.code === code)?.name[language] ?? '';
}
