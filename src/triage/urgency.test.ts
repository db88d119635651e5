import { describe, expect, it } from 'vitest';
import { UrgencyRules } from './urgency.js';

const judge = new UrgencyRules({ critical: ['запах газа'], high: ['нет отоплен', 'жылу жоқ', 'лифт не работает'] }, [
  {
    id: 'no_heating_in_frost',
    all: [
      ['нет отоплен', 'жылу жоқ', 'no heating'],
      ['мороз', 'аяз', '{frost}'],
    ],
    level: 'critical',
  },
  { id: 'people_in_lift', all: [['лифт'], ['застрял', 'внутри', 'ішінде']], level: 'critical' },
  { id: 'vulnerable', all: [['дети', 'ребен', 'балалар', 'пенсионер']], raise: true },
]);
const j = (t: string) => judge.judge((stem) => ` ${t.toLowerCase()}`.includes(stem.includes(' ') ? stem : ` ${stem}`), t);

describe('urgency', () => {
  it('takes single phrases per level', () => {
    expect(j('В подъезде запах газа').urgency).toBe('critical');
    expect(j('Нет отопления').urgency).toBe('high');
    expect(j('Яма на дороге').urgency).toBe('normal');
  });

  it('makes no heating in frost critical, by word or by temperature, and names the rule', () => {
    expect(j('Нет отопления, на улице мороз')).toEqual({ urgency: 'critical', reasons: ['нет отоплен', 'rule:no_heating_in_frost'] });
    expect(j('Үйде жылу жоқ, сыртта -25').urgency).toBe('critical');
    expect(j('Нет отопления, минус 30 градусов').urgency).toBe('critical');
    expect(j('Нет отопления, на улице -5').urgency).toBe('high');
  });

  it('makes a lift with people inside critical', () => {
    expect(j('Лифт застрял между этажами').urgency).toBe('critical');
  });

  it('raises a failure that already matters to critical when children or the elderly are affected', () => {
    expect(j('Нет отопления, дома маленькие дети').urgency).toBe('critical');
    expect(j('Дети играют во дворе, яма').urgency).toBe('normal');
  });
});

describe('urgency from the stems found', () => {
  const stems = [
    'запах газа',
    'нет отоплен',
    'жылу жоқ',
    'лифт не работает',
    'no heating',
    'мороз',
    'аяз',
    'лифт',
    'застрял',
    'внутри',
    'ішінде',
    'дети',
    'ребен',
    'балалар',
    'пенсионер',
    '{frost}',
  ];
  it.each([
    'В подъезде запах газа',
    'Нет отопления, на улице мороз',
    'Үйде жылу жоқ, сыртта -25',
    'Нет отопления, на улице -5',
    'Лифт застрял между этажами, внутри дети',
    'Нет отопления, дома маленькие дети',
    'frost {frost} минус 30',
    '',
  ])('gives what judge gives: %s', (t) => {
    const has = (stem: string) => ` ${t.toLowerCase()}`.includes(stem.includes(' ') ? stem : ` ${stem}`);
    expect(judge.judgeFound(new Set(stems.filter(has)), t)).toEqual(judge.judge(has, t));
  });
});
