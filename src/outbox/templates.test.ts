import { beforeAll, describe, expect, it } from 'vitest';
import { type City, loadCity } from '../config/load.js';
import { TemplatesFile } from '../config/schema.js';
import { render, templateKey } from './templates.js';

let city: City;
beforeAll(async () => {
  city = await loadCity('config/cities/astana');
});

describe('reply templates', () => {
  it('chooses the category’s own text before the general one, in the resident’s language', () => {
    expect(templateKey(city, 'status.resolved', 'HEAT')).toBe('status.resolved@HEAT');
    expect(templateKey(city, 'status.resolved', 'WATR')).toBe('status.resolved');
    expect(templateKey(city, 'status.resolved', null)).toBe('status.resolved');
    const vars = { number: 'AST-2026-000001', note: 'Задвижка открыта' };
    expect(render(city, 'status.resolved', 'kk', vars, 'HEAT')).toMatch(/^AST-2026-000001 өтініші орындалды деп белгіленді: жылумен/);
    expect(render(city, 'status.resolved', 'ru', vars, 'SNOW')).toContain('снег убран');
    expect(render(city, 'status.resolved', 'en', vars, 'WATR')).toContain('The service reports: “Задвижка открыта”');
  });

  it('has every new message of the executor’s work in ru, kk and en, with no placeholder left unfilled', () => {
    const vars = { number: 'N', deadline: 'D', organisation: 'O', category: 'C', reason: 'R', note: 'T', question: 'Q' };
    for (const key of ['question.asked', 'question.answered', 'status.resumed', 'status.rerouted', 'status.in_progress', 'status.resolved'])
      for (const lang of ['ru', 'kk', 'en'] as const) expect(render(city, key, lang, vars)).not.toMatch(/\{\w+\}/);
    expect(render(city, 'question.asked', 'ru', vars)).toContain('Q');
  });

  it('never tells the resident that an organisation said "not ours"', () => {
    for (const lang of ['ru', 'kk', 'en'] as const)
      expect(render(city, 'status.rerouted', lang, { number: 'N' })).not.toMatch(/не наш|біздікі емес|not ours/i);
  });

  it('refuses at start a template missing a language, with an unknown variable or with a malformed key', () => {
    expect(TemplatesFile.safeParse({ templates: { 'status.resolved@HEAT': { ru: 'a', kk: 'b' } } }).success).toBe(false);
    expect(TemplatesFile.safeParse({ templates: { 'status.resolved': { ru: '{numbr}', kk: 'b', en: 'c' } } }).success).toBe(false);
    expect(TemplatesFile.safeParse({ templates: { 'status.resolved@heat': { ru: 'a', kk: 'b', en: 'c' } } }).success).toBe(false);
    expect(TemplatesFile.safeParse({ templates: { 'status.resolved@HEAT': { ru: '{note}', kk: 'b', en: 'c' } } }).success).toBe(true);
  });
});
