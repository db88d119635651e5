import { beforeAll, describe, expect, it } from 'vitest';
import { type City, loadCity } from '../config/load.js';
import { span } from './texts.js';
import { deadlineView, type ViewTicket } from './view.js';

let city: City;
beforeAll(async () => {
  city = await loadCity('config/cities/astana');
});

const local = (s: string) => new Date(`${s}+05:00`);
// A water leak received Monday 14 December 2026 at 10:00, three working days; 16 December is Independence Day,
// so the deadline is the end of Friday 18 December.
const ticket: ViewTicket = {
  status: 'in_progress',
  category: 'WATR',
  urgency: 'normal',
  created_at: local('2026-12-14T10:00:00'),
  resolution_due: local('2026-12-18T18:00:00'),
  resolved_at: null,
  closed_at: null,
  updated_at: local('2026-12-14T10:00:00'),
  paused_at: null,
  paused_minutes: 0,
};
const view = (t: Partial<ViewTicket>, now: string) => deadlineView(city, { ...ticket, ...t }, local(now));

describe('the deadline in the resident’s and the operator’s terms', () => {
  it('on track: the resident reads the local date and time, the operator the working time left', () => {
    const v = view({}, '2026-12-15T13:00:00');
    expect(v).toMatchObject({ due: '2026-12-18T18:00:00+05:00', state: 'on_track', clock: 'working', risk: null });
    // Tuesday 13:00–18:00, Thursday and Friday: 5 + 9 + 9 working hours (Wednesday is a holiday).
    expect(v?.remaining_working_minutes).toBe(23 * 60);
    expect(v?.citizen).toEqual({ ru: 'до 18.12.2026 18:00', kk: '18.12.2026 18:00 дейін', en: 'by 18.12.2026 18:00' });
    expect(v?.operator).toEqual({ ru: 'осталось 2 раб. дня 5 ч', kk: '2 жұмыс күні 5 сағ қалды', en: '2 working days 5 h left' });
  });

  it('at risk: says so, and why', () => {
    const v = view({}, '2026-12-18T13:00:00');
    expect(v?.state).toBe('at_risk');
    expect(v?.operator.ru).toBe('под угрозой: осталось 5 раб. ч');
    expect(v?.operator.kk).toBe('қауіп бар: 5 жұмыс сағ қалды');
    expect(v?.risk?.rules).toEqual(['share']);
    expect(v?.risk?.reason.ru).toBe('осталось меньше 25% срока');
  });

  it('overdue: counts the working days behind, over the weekend', () => {
    const v = view({}, '2026-12-22T18:00:00');
    expect(v).toMatchObject({ state: 'overdue', remaining_working_minutes: -2 * 540 });
    expect(v?.operator).toEqual({ ru: 'просрочено на 2 раб. дня', kk: 'мерзімінен 2 жұмыс күні асты', en: 'overdue by 2 working days' });
    expect(v?.citizen.ru).toBe('срок был до 18.12.2026 18:00, обращение на контроле');
  });

  it('just past the deadline on a Friday evening: no working time is behind it yet', () => {
    const v = view({}, '2026-12-19T11:00:00');
    expect(v?.state).toBe('overdue');
    expect(v?.operator.ru).toBe('срок истёк 18.12.2026 18:00');
  });

  it('paused: stands still at the moment of the question, whatever the time now', () => {
    const v = view({ status: 'waiting', paused_at: local('2026-12-17T10:00:00') }, '2027-01-20T12:00:00');
    expect(v).toMatchObject({ state: 'paused', remaining_working_minutes: 8 * 60 + 540 });
    expect(v?.citizen.ru).toBe('срок приостановлен, пока мы ждём вашего ответа');
    expect(v?.citizen.kk).toBe('сіздің жауабыңызды күткенше мерзім тоқтатылды');
    expect(v?.operator.ru).toBe('на паузе: осталось 1 раб. день 8 ч');
  });

  it('met or missed once resolved', () => {
    expect(view({ status: 'closed', resolved_at: local('2026-12-18T12:00:00') }, '2027-01-10T12:00:00')?.state).toBe('met');
    const late = view({ status: 'resolved', resolved_at: local('2026-12-21T14:00:00') }, '2027-01-10T12:00:00');
    expect(late?.state).toBe('missed');
    expect(late?.operator.ru).toBe('выполнено с опозданием на 5 раб. ч');
    expect(late?.operator.kk).toBe('5 жұмыс сағ кешігіп орындалды');
  });

  it('runs round the clock for an emergency', () => {
    const v = view({ urgency: 'critical', resolution_due: local('2026-12-19T22:00:00') }, '2026-12-19T12:30:00');
    expect(v).toMatchObject({ clock: 'calendar', state: 'at_risk' });
    expect(v?.operator.ru).toBe('под угрозой: осталось 9 ч 30 мин');
    expect(v?.operator.en).toBe('at risk: 9 h 30 min left');
  });
});

describe('spans of time', () => {
  it('agree in number in Russian and read naturally in every language', () => {
    expect(span(540, 'working', 540, 'ru')).toBe('1 раб. день');
    expect(span(3 * 540, 'working', 540, 'ru')).toBe('3 раб. дня');
    expect(span(5 * 540, 'working', 540, 'ru')).toBe('5 раб. дней');
    expect(span(11 * 540, 'working', 540, 'ru')).toBe('11 раб. дней');
    expect(span(21 * 540, 'working', 540, 'ru')).toBe('21 раб. день');
    expect(span(40, 'working', 540, 'kk')).toBe('40 жұмыс мин');
    expect(span(25 * 60, 'calendar', 540, 'ru')).toBe('1 день 1 ч');
    expect(span(90, 'calendar', 540, 'en')).toBe('1 h 30 min');
  });
});
