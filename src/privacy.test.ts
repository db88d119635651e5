import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './privacy.js';

describe('personal data on public outputs', () => {
  it('masks phones, e-mails, handles and flat numbers but keeps the problem', () => {
    const t = 'Нет воды, Кенесары 40 кв. 12, звоните +7 701 123 45 67 или a.b@mail.kz, @ivanov';
    const r = redactPersonalData(t);
    expect(r).toContain('Нет воды, Кенесары 40');
    expect(r).not.toMatch(/12, звоните|701|a\.b@mail|ivanov/);
    expect(r).toContain('[phone]');
    expect(r).toContain('[email]');
  });

  it('keeps ticket numbers, which are as long as a phone number', () => {
    expect(redactPersonalData('Ваше обращение AST-2026-000123 принято, тел. 87011234567')).toBe(
      'Ваше обращение AST-2026-000123 принято, тел. [phone]',
    );
  });

  it('masks Kazakh flat numbers written number-first', () => {
    expect(redactPersonalData('Тұран 37, 12 пәтер, су жоқ')).toBe('Тұран 37, [*] пәтер, су жоқ');
  });
});
