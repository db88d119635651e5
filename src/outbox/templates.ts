// Reply templates from the city's configuration, filled in the resident's language. A template may have a variant
// per category (`status.resolved@HEAT`), chosen before the general one, so heating and snow can speak their own way.
import type { City } from '../config/load.js';
import type { Language, TemplateVariable } from '../config/schema.js';
import { formatLocal } from '../sla/calendar.js';

export type TemplateVars = Partial<Record<TemplateVariable, string>>;

/** The key actually used: the category's variant when the city wrote one, else the general template. */
export function templateKey(city: City, key: string, category?: string | null): string {
  const variant = category ? `${key}@${category}` : null;
  return variant && variant in city.templates ? variant : key;
}

export function hasTemplate(city: City, key: string): boolean {
  return key in city.templates;
}

/** The text of template `key` in `language`; `category` (a code) picks the category's variant if there is one. */
export function render(city: City, key: string, language: Language, vars: TemplateVars, category?: string | null): string {
  const t = city.templates[templateKey(city, key, category)];
  if (!t) throw new Error(`no template ${key}`);
  return t[language].replace(/\{(\w+)\}/g, (m, name: string) => vars[name as TemplateVariable] ?? m);
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
