// How a deadline reads in Russian, Kazakh and English: a span of working or round-the-clock time ("5 раб. ч",
// "2 жұмыс күні", "3 working days"), the resident's phrase ("до 17.12.2026 18:00") and the operator's ("осталось
// 5 раб. ч", "просрочено на 2 раб. дня"), and why a deadline is at risk. Plain functions, no state.
import type { Language } from '../config/schema.js';
import type { Clock, Forecast } from './forecast.js';

/** Russian plural: 1 день, 2 дня, 5 дней (11–14 дней). */
function ru(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/**
 * A span of `minutes` on a clock, in its largest unit and the next: a working day is `workday` minutes long
 * (the city's working hours), a calendar day 24 hours. Always positive: the caller says "left" or "late".
 */
export function span(minutes: number, clock: Clock, workday: number, lang: Language): string {
  const m = Math.max(0, Math.round(Math.abs(minutes)));
  const dayLength = clock === 'working' ? workday : 24 * 60;
  const days = Math.floor(m / dayLength);
  const hours = Math.floor((m % dayLength) / 60);
  const mins = m % 60;
  const w = clock === 'working';
  if (lang === 'ru') {
    const r = w ? 'раб. ' : '';
    if (days > 0) return `${days} ${r}${ru(days, 'день', 'дня', 'дней')}${hours ? ` ${hours} ч` : ''}`;
    if (hours > 0) return `${hours} ${r}ч${mins ? ` ${mins} мин` : ''}`;
    return `${mins} ${r}мин`;
  }
  if (lang === 'kk') {
    const r = w ? 'жұмыс ' : '';
    if (days > 0) return `${days} ${w ? 'жұмыс күні' : 'күн'}${hours ? ` ${hours} сағ` : ''}`;
    if (hours > 0) return `${hours} ${r}сағ${mins ? ` ${mins} мин` : ''}`;
    return `${mins} ${r}мин`;
  }
  const r = w ? 'working ' : '';
  if (days > 0) return `${days} ${r}${days === 1 ? 'day' : 'days'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} ${r}h${mins ? ` ${mins} min` : ''}`;
  return `${mins} ${r}min`;
}

export type DeadlineState = 'on_track' | 'at_risk' | 'overdue' | 'paused' | 'met' | 'missed';

/** The resident's words: when it will be done, by the local date and time. */
export function citizenText(state: DeadlineState, local: string, lang: Language): string {
  const T: Record<Language, Record<DeadlineState, string>> = {
    ru: {
      on_track: `до ${local}`,
      at_risk: `до ${local}`,
      overdue: `срок был до ${local}, обращение на контроле`,
      paused: 'срок приостановлен, пока мы ждём вашего ответа',
      met: `выполнено в срок (до ${local})`,
      missed: `выполнено позже срока (${local})`,
    },
    kk: {
      on_track: `${local} дейін`,
      at_risk: `${local} дейін`,
      overdue: `мерзімі ${local} дейін еді, өтініш бақылауда`,
      paused: 'сіздің жауабыңызды күткенше мерзім тоқтатылды',
      met: `мерзімінде орындалды (${local} дейін)`,
      missed: `мерзімінен кеш орындалды (${local})`,
    },
    en: {
      on_track: `by ${local}`,
      at_risk: `by ${local}`,
      overdue: `was due by ${local}; the ticket is being escalated`,
      paused: 'on hold while we wait for your answer',
      met: `done on time (due by ${local})`,
      missed: `done after the deadline (${local})`,
    },
  };
  return T[lang][state];
}

/** The operator's words: how much is left or how late, on the ticket's own clock. */
export function operatorText(state: DeadlineState, s: string, lang: Language): string {
  const T: Record<Language, Record<DeadlineState, string>> = {
    ru: {
      on_track: `осталось ${s}`,
      at_risk: `под угрозой: осталось ${s}`,
      overdue: `просрочено на ${s}`,
      paused: `на паузе: осталось ${s}`,
      met: 'выполнено в срок',
      missed: `выполнено с опозданием на ${s}`,
    },
    kk: {
      on_track: `${s} қалды`,
      at_risk: `қауіп бар: ${s} қалды`,
      overdue: `мерзімінен ${s} асты`,
      paused: `кідіртілген: ${s} қалды`,
      met: 'мерзімінде орындалды',
      missed: `${s} кешігіп орындалды`,
    },
    en: {
      on_track: `${s} left`,
      at_risk: `at risk: ${s} left`,
      overdue: `overdue by ${s}`,
      paused: `paused: ${s} left`,
      met: 'done on time',
      missed: `done ${s} late`,
    },
  };
  return T[lang][state];
}

/** The operator's words when a deadline has just passed with no working time behind it yet (an evening, a weekend). */
export function justPassedText(local: string, lang: Language): string {
  return { ru: `срок истёк ${local}`, kk: `мерзімі ${local} бітті`, en: `was due ${local}` }[lang];
}

/** Why the deadline is at risk, by the first rule that holds. */
export function riskReason(f: Forecast, workday: number, lang: Language): string {
  const rule = f.rules[0];
  const pct = Math.round(f.share * 100);
  const floor = span(f.floorMinutes, f.clock, workday, lang);
  const median = f.history ? span(f.history.medianMinutes, 'calendar', workday, lang) : '';
  const n = f.history?.closed ?? 0;
  const T: Record<Language, Record<'share' | 'floor' | 'history', string>> = {
    ru: {
      share: `осталось меньше ${pct}% срока`,
      floor: `осталось меньше ${floor}`,
      history: `обычно организация решает такие обращения за ${median} (медиана по ${n} закрытым), это дольше, чем осталось`,
    },
    kk: {
      share: `қалған уақыт мерзімнің ${pct}% шегінен аз`,
      floor: `қалған уақыт ${floor} шегінен аз`,
      history: `ұйым әдетте мұндай өтініштерді ${median} ішінде шешеді (${n} жабылған өтініштің медианасы), бұл қалған уақыттан ұзақ`,
    },
    en: {
      share: `less than ${pct}% of the time is left`,
      floor: `less than ${floor} is left`,
      history: `the organisation usually takes ${median} for these (median of ${n} closed), longer than what is left`,
    },
  };
  return rule ? T[lang][rule] : '';
}
