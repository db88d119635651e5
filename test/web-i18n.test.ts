// The web app's language rules, run in Node: CLDR plural forms and dates shown in the city's time whatever the
// browser's time zone. web/i18n.js is plain browser code; the few browser globals it touches are stood in for here.
import { beforeAll, describe, expect, it } from 'vitest';

type I18n = {
  t: (key: string, vars?: Record<string, unknown>) => string;
  setLang: (l: string) => void;
  formatDateTime: (iso: unknown, lang?: string) => string;
  setCityOffset: (m: number) => void;
  DICTIONARIES: Record<'ru' | 'kk' | 'en', Record<string, unknown>>;
};
let i18n: I18n;
const stored = new Map<string, string>();

beforeAll(async () => {
  const g = globalThis as Record<string, unknown>;
  g.localStorage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v) };
  g.document = { documentElement: {}, querySelectorAll: () => [], title: '' };
  if (!('navigator' in g)) g.navigator = { language: 'en-US' };
  // A string, so that vite leaves the import of a browser module to Node.
  const path = new URL('../web/i18n.js', import.meta.url).href;
  i18n = (await import(/* @vite-ignore */ path)) as I18n;
});

describe('plural forms', () => {
  it('picks the Russian one / few / many / other forms by Intl.PluralRules', () => {
    i18n.setLang('ru');
    expect(i18n.t('delivery.attempts', { n: 1 })).toBe('1 попытка');
    expect(i18n.t('delivery.attempts', { n: 3 })).toBe('3 попытки');
    expect(i18n.t('delivery.attempts', { n: 5 })).toBe('5 попыток');
    expect(i18n.t('delivery.attempts', { n: 11 })).toBe('11 попыток');
    expect(i18n.t('delivery.attempts', { n: 21 })).toBe('21 попытка');
    expect(i18n.t('ticket.paused_value', { n: 1.5 })).toBe('1.5 рабочей минуты');
  });

  it('uses one and other in English and Kazakh', () => {
    i18n.setLang('en');
    expect(i18n.t('delivery.attempts', { n: 1 })).toBe('1 attempt');
    expect(i18n.t('delivery.attempts', { n: 2 })).toBe('2 attempts');
    i18n.setLang('kk');
    expect(i18n.t('ticket.paused_value', { n: 1 })).toBe('1 жұмыс минуты');
    expect(i18n.t('ticket.paused_value', { n: 7 })).toBe('7 жұмыс минуты');
  });

  it('gives the other form when there is no count, and remembers the chosen language', () => {
    i18n.setLang('en');
    expect(i18n.t('delivery.attempts')).toBe('{n} attempts');
    expect(stored.get('qala.lang')).toBe('en');
  });

  it('has, for every entry with forms, exactly the forms each language needs', () => {
    for (const lang of ['ru', 'kk', 'en'] as const) {
      const need = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.sort();
      for (const [key, v] of Object.entries(i18n.DICTIONARIES[lang])) {
        if (typeof v !== 'object' || v === null) continue;
        expect(Object.keys(v).sort(), `${lang} ${key}`).toEqual(need);
      }
    }
  });
});

describe('dates and times', () => {
  it('shows an instant in Astana time (+05:00) in each language, whatever the offset it was written with', () => {
    i18n.setCityOffset(300);
    const instant = '2026-05-12T09:30:00Z'; // 14:30 in Astana
    expect(i18n.formatDateTime(instant, 'ru')).toBe('12.05.2026, 14:30');
    expect(i18n.formatDateTime(instant, 'en')).toBe('12/05/2026, 14:30');
    expect(i18n.formatDateTime(instant, 'kk')).toBe('12.05.2026, 14:30');
    expect(i18n.formatDateTime('2026-05-12T12:30:00+03:00', 'ru')).toBe('12.05.2026, 14:30');
  });

  it('crosses midnight by the city clock, not the machine clock', () => {
    i18n.setCityOffset(300);
    expect(i18n.formatDateTime('2026-12-31T19:10:00Z', 'en')).toBe('01/01/2027, 00:10');
  });

  it('shows a dash for a missing or unreadable time', () => {
    i18n.setLang('ru');
    expect(i18n.formatDateTime(null)).toBe(i18n.t('none'));
    expect(i18n.formatDateTime('yesterday')).toBe(i18n.t('none'));
  });
});
