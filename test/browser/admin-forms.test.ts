// The configuration forms in a real browser (Debian's Chromium driven by playwright-core) against a real centre: an
// admin adds a holiday through the calendar form and it is in force at once; changes an SLA target in the category ×
// urgency grid; a negative duration and an organisation without its Russian name are refused by the server, the
// message shown beside the very field in the admin's language (the server sends a code, the page words it), and
// nothing is saved; a routing rule moves down. Screenshots in ru and kk go to $QALA_SCREENSHOTS (or /tmp/shots).
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const HOLIDAY = '2026-12-30';

interface Target {
  category: string;
  urgency?: string;
  resolution: Record<string, number>;
}

describe.skipIf(!existsSync(CHROMIUM))('configuration forms in a browser', () => {
  let centre: TestCentre;
  let browser: Browser;
  let page: Page;
  let token: string;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    centre = await startTestCentre();
    token = await centre.login('admin@qala.demo');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => d.accept());
    await page.addInitScript(() => localStorage.setItem('qala.lang', 'ru'));
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', 'admin@qala.demo');
    await page.fill('#l-password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.locator('#staff-area').waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  const section = async (name: string) => (await centre.api(`/api/v1/admin/config/${name}`, { token })).body;
  const save = (name: string) => page.click(`form[data-section-form="${name}"] .sticky-actions button[type=submit]`);
  const saved = () => page.locator('.admin-pane > .form-status[data-kind="ok"]').waitFor();

  it('adds a holiday through the calendar form; the centre counts it at once', async () => {
    const w = await words(page);
    await page.goto(`${centre.url}/#/admin/calendar`);
    const year = page.locator('fieldset[data-year="2026"]');
    await year.waitFor();
    expect(await page.locator('[data-json-toggle] summary').textContent()).toBe(w.ru('admin.config.as_json'));
    expect(centre.ctx.city.calendar.daysOff.has(HOLIDAY)).toBe(false);
    await year.locator('[data-add-off]').click();
    // The new row's date field has the focus; its names follow in the same row.
    const date = page.locator('input[type=date]:focus');
    await date.fill(HOLIDAY);
    const path = await date.getAttribute('data-path');
    for (const [l, name] of [
      ['ru', 'День города (пример)'],
      ['kk', 'Қала күні (мысал)'],
      ['en', 'City day (example)'],
    ] as const)
      await page.fill(`input[data-path="${path?.replace(/date$/, `name.${l}`)}"]`, name);
    await page.screenshot({ path: `${SHOTS}/admin-form-calendar-ru.png`, fullPage: false });
    await save('calendar');
    await saved();
    const y2026 = (await section('calendar')).override.years.find((y: { year: number }) => y.year === 2026);
    expect(y2026.days_off).toContainEqual({ date: HOLIDAY, name: { ru: 'День города (пример)', kk: 'Қала күні (мысал)', en: 'City day (example)' } });
    // Kept in date order, as the files keep them.
    const dates = y2026.days_off.map((d: { date: string }) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(centre.ctx.city.calendar.daysOff.has(HOLIDAY)).toBe(true);
    // The form drawn again shows the saved day.
    await page.locator(`fieldset[data-year="2026"] tr[data-day="${HOLIDAY}"]`).waitFor();
  });

  it('changes an SLA target in the grid; a negative duration is refused beside its field and nothing is saved', async () => {
    const w = await words(page);
    await page.goto(`${centre.url}/#/admin/sla`);
    const cell = page.locator('td[data-cell="WATR/critical"]');
    await cell.waitFor();
    await cell.locator('input[data-path$=".resolution"]').fill('12');
    await cell.locator('select[data-unit="resolution"]').selectOption('working_hours');
    await save('sla');
    await saved();
    const watr = () => centre.ctx.city.sla.targets.find((x) => x.category === 'WATR' && x.urgency === 'critical') as Target;
    expect(watr().resolution).toEqual({ working_hours: 12 });
    expect(((await section('sla')).override.targets as Target[]).find((x) => x.category === 'WATR' && x.urgency === 'critical')?.resolution).toEqual({
      working_hours: 12,
    });
    const versions = (await section('sla')).history.length;

    // Negative hours: the server's message sits next to that very input, which is marked invalid.
    const amount = page.locator('td[data-cell="WATR/critical"] input[data-path$=".resolution"]');
    await amount.fill('-3');
    await save('sla');
    await page.locator('td[data-cell="WATR/critical"] input[data-path$=".resolution"][aria-invalid="true"]').waitFor();
    const message = page.locator('td[data-cell="WATR/critical"] .field-error');
    // Said in Russian from the issue's code and bound, not zod's English "Too small: expected number to be >0".
    expect(await message.textContent()).toBe(w.ru('admin.issue.too_small.number.exclusive').replace('{minimum}', '0'));
    expect(await amount.getAttribute('aria-describedby')).toContain((await message.getAttribute('id')) as string);
    expect(await page.locator('form[data-section-form="sla"] .form-status[data-kind="error"]').isVisible()).toBe(true);
    expect(watr().resolution).toEqual({ working_hours: 12 });
    expect((await section('sla')).history.length).toBe(versions);
    await page.locator('td[data-cell="WATR/critical"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/admin-form-sla-ru.png`, fullPage: false });
  });

  it('refuses an organisation without its Russian name beside that field, and saves nothing', async () => {
    await page.goto(`${centre.url}/#/admin/organisations`);
    const ru = page.locator('input[data-path="organisations.1.name.ru"]');
    await ru.waitFor();
    const before = centre.ctx.city.organisations[1]?.name.ru;
    await ru.fill('');
    await save('organisations');
    await page.locator('input[data-path="organisations.1.name.ru"][aria-invalid="true"]').waitFor();
    expect(await page.locator('input[data-path="organisations.1.name.ru"] + .field-error').textContent()).toBe(
      (await words(page)).ru('admin.issue.required'),
    );
    // The focus goes to the field to mend.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.path)).toBe('organisations.1.name.ru');
    expect((await section('organisations')).override).toBeNull();
    expect(centre.ctx.city.organisations[1]?.name.ru).toBe(before);
    await page.locator('input[data-path="organisations.1.name.ru"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/admin-form-organisations-ru.png`, fullPage: false });
    expect(await unnamed(page)).toEqual([]);
  });

  it('moves a routing rule down and keeps the fields it does not show; the forms read in Kazakh', async () => {
    const file = (await section('routing')).file.rules;
    await page.goto(`${centre.url}/#/admin/routing`);
    await page.locator('tr[data-rule="0"] [data-move="down"]').click();
    // The moved rule keeps the focus on its arrow, one row lower.
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.rule)).toBe('1');
    await save('routing');
    await saved();
    const rules = (await section('routing')).override.rules;
    expect(rules[0]).toEqual(file[1]);
    expect(rules[1]).toEqual(file[0]);
    expect(rules.slice(2)).toEqual(file.slice(2));
    expect(centre.ctx.city.routing[0]?.category).toBe(file[1].category);
    expect(centre.ctx.city.overridden).toContain('routing');

    await page.click('[data-lang="kk"]');
    const w = await words(page);
    for (const pane of ['sla', 'calendar', 'organisations', 'routing']) {
      await page.goto(`${centre.url}/#/admin/${pane}`);
      await page.locator(`form[data-section-form="${pane}"]`).waitFor();
      expect(await page.locator('[data-json-toggle] summary').textContent()).toBe(w.kk('admin.config.as_json'));
      await page.screenshot({ path: `${SHOTS}/admin-form-${pane}-kk.png`, fullPage: false });
      expect(await unnamed(page)).toEqual([]);
    }

    // A Kazakh admin reads the refusal in Kazakh; a code the page does not know would show the server's words.
    await page.goto(`${centre.url}/#/admin/sla`);
    const amount = page.locator('td[data-cell="WATR/high"] input[data-path$=".resolution"]');
    await amount.fill('-1');
    await save('sla');
    await page.locator('td[data-cell="WATR/high"] input[data-path$=".resolution"][aria-invalid="true"]').waitFor();
    expect(await page.locator('td[data-cell="WATR/high"] .field-error').textContent()).toBe(
      w.kk('admin.issue.too_small.number.exclusive').replace('{minimum}', '0'),
    );
    expect(await page.locator('form[data-section-form="sla"] .form-status[data-kind="error"]').textContent()).toBe(w.kk('admin.invalid'));
    expect(problems).toEqual([]);
  });

  it("details a request's invalid fields with the same codes as the configuration's", async () => {
    const r = await centre.api('/api/v1/admin/users', {
      token,
      method: 'POST',
      body: { email: 'not-an-address', name: 'X', roles: [{ role: 'operator' }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toContainEqual(
      expect.objectContaining({ field: 'body.email', code: 'invalid_format', params: expect.objectContaining({ format: 'email' }) }),
    );
    const unknown = await centre.api('/api/v1/admin/users', {
      token,
      method: 'POST',
      body: { email: 'new.operator@qala.demo', name: 'X', roles: [{ role: 'executor', organisation: 'no-such-org' }] },
    });
    expect(unknown.body.error.details).toEqual([
      { field: 'roles.0.organisation', code: 'unknown_organisation', params: { id: 'no-such-org' }, message: 'unknown organisation no-such-org' },
    ]);
  });
});
