// The configuration forms in a real browser (Debian's Chromium driven by playwright-core) against a real centre: an
// admin adds a holiday through the calendar form and it is in force at once; changes an SLA target in the category ×
// urgency grid; a negative duration and an organisation without its Russian name are refused by the server, the
// message shown beside the very field in the admin's language (the server sends a code, the page words it), and
// nothing is saved; a category is renamed and gets a keyword, while a new one without its Russian name and the removal
// of one still in use are refused beside the row; a routing rule moves down. Screenshots in ru and kk go to
// $QALA_SCREENSHOTS (or /tmp/shots).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';
const HOLIDAY = '2026-12-30';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now (as in a11y.test.ts). */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run({ resultTypes: ['violations'] })).violations as { id: string; impact: string; nodes: { target: string[] }[] }[];
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

interface Category {
  code: string;
  name: Record<'ru' | 'kk' | 'en', string>;
  keywords: Record<'ru' | 'kk' | 'en', string[]>;
}

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

  it('renames a category and adds a keyword through the categories form; a new one without its Russian name, or removing one still in use, is refused beside the row', async () => {
    const w = await words(page);
    const file = (await section('categories')).file.categories as Category[];
    const at = file.findIndex((c) => c.code === 'HEAT');
    const heat = `categories.${at}`;
    await page.goto(`${centre.url}/#/admin/categories`);
    await page.locator('form[data-section-form="categories"]').waitFor();
    expect(await page.locator('[data-json-toggle] summary').textContent()).toBe(w.ru('admin.config.as_json'));
    // The code of a category in force is shown, not edited: tickets, rules and SLA targets refer to it.
    expect(await page.locator(`tr[data-category="HEAT"] input[data-path="${heat}.code"]`).count()).toBe(0);
    await page.fill(`input[data-path="${heat}.name.kk"]`, 'Жылумен жабдықтау (мысал)');
    // The descriptions and keywords open under the row, by keyboard too.
    const more = page.locator(`tr[data-category="HEAT"] [data-more]`);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator(`tr[data-category="HEAT"] [data-more]`).getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.more)).toBe('');
    const kk = page.locator(`textarea[data-path="${heat}.keywords.kk"]`);
    await kk.fill(`${await kk.inputValue()},\nкалорифер`);
    await page.screenshot({ path: `${SHOTS}/admin-form-categories-ru.png`, fullPage: false });
    await save('categories');
    await saved();

    const cats = (await section('categories')).override.categories as Category[];
    const mine = file[at] as Category;
    expect(cats[at]).toEqual({
      ...mine,
      name: { ...mine.name, kk: 'Жылумен жабдықтау (мысал)' },
      keywords: { ...mine.keywords, kk: [...mine.keywords.kk, 'калорифер'] },
    });
    // Every other category, and every field the form does not show, is kept as it was.
    expect(cats.filter((_, i) => i !== at)).toEqual(file.filter((_, i) => i !== at));
    const listed = (await centre.api('/api/v1/categories')).body as { code: string; name: Record<string, string> }[];
    expect(listed.find((c) => c.code === 'HEAT')?.name.kk).toBe('Жылумен жабдықтау (мысал)');
    expect(centre.ctx.city.categories.find((c) => c.code === 'HEAT')?.keywords.kk).toContain('калорифер');
    const versions = (await section('categories')).history.length;

    // A new category without its Russian name: the message is beside that field and nothing is saved.
    await page.locator('[data-add-category]').click();
    const row = `categories.${file.length}`;
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.path)).toBe(`${row}.code`);
    await page.keyboard.type('NOIS');
    for (const [l, name, words] of [
      ['ru', '', 'шум, громкая музыка'],
      ['kk', 'Шу (мысал)', 'шу, қатты музыка'],
      ['en', 'Noise (example)', 'noise, loud music'],
    ] as const) {
      await page.fill(`input[data-path="${row}.name.${l}"]`, name);
      await page.fill(`textarea[data-path="${row}.description.${l}"]`, name || 'Шум (пример)');
      await page.fill(`textarea[data-path="${row}.keywords.${l}"]`, words);
    }
    await save('categories');
    const ru = page.locator(`input[data-path="${row}.name.ru"]`);
    await page.locator(`input[data-path="${row}.name.ru"][aria-invalid="true"]`).waitFor();
    expect(await page.locator(`input[data-path="${row}.name.ru"] + .field-error`).textContent()).toBe(w.ru('admin.issue.required'));
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.path)).toBe(`${row}.name.ru`);
    expect(await page.locator('form[data-section-form="categories"] .form-status[data-kind="error"]').textContent()).toBe(w.ru('admin.invalid'));
    expect((await section('categories')).history.length).toBe(versions);
    expect(centre.ctx.city.categories.some((c) => c.code === 'NOIS')).toBe(false);
    await ru.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/admin-form-categories-error-ru.png`, fullPage: false });

    // Removing a category that routing rules and SLA targets still name is refused beside its row.
    await ru.fill('Шум (пример)');
    const watr = file.findIndex((c) => c.code === 'WATR');
    await page.locator('tr[data-category="WATR"] button.icon').click();
    const restore = page.locator(`[data-path="categories.${watr}.removed"]`);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.path)).toBe(`categories.${watr}.removed`);
    await save('categories');
    await page.locator(`[data-path="categories.${watr}.removed"][aria-invalid="true"]`).waitFor();
    const rules = ((await section('routing')).file.rules as { category: string }[]).filter((r) => r.category === 'WATR').length;
    const targets = ((await section('sla')).file.targets as { category: string }[]).filter((x) => x.category === 'WATR').length;
    const where = `${w.ru('admin.cat.used.routing').replace('{n}', String(rules))}; ${w.ru('admin.cat.used.sla').replace('{n}', String(targets))}`;
    expect(await page.locator(`[data-path="categories.${watr}.removed"] + .field-error`).textContent()).toBe(
      w.ru('admin.issue.category_in_use').replace('{id}', 'WATR').replace('{where}', where),
    );
    await restore.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/admin-form-categories-in-use-ru.png`, fullPage: false });
    expect((await section('categories')).history.length).toBe(versions);
    expect(centre.ctx.city.categories.some((c) => c.code === 'WATR')).toBe(true);
    expect(await violations(page)).toEqual([]);
    await restore.click();
    expect(await page.locator(`input[data-path="categories.${watr}.name.ru"]`).isVisible()).toBe(true);
    expect(await unnamed(page)).toEqual([]);

    await page.click('[data-lang="kk"]');
    await page.goto(`${centre.url}/#/admin/categories`);
    await page.locator('form[data-section-form="categories"]').waitFor();
    expect(await page.locator('[data-add-category]').textContent()).toBe(w.kk('admin.cat.add'));
    await page.locator('tr[data-category="HEAT"] [data-more]').click();
    expect(await page.locator(`input[data-path="${heat}.name.kk"]`).inputValue()).toBe('Жылумен жабдықтау (мысал)');
    await page.screenshot({ path: `${SHOTS}/admin-form-categories-kk.png`, fullPage: false });
    expect(await unnamed(page)).toEqual([]);
    expect(await violations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('tr[data-category="HEAT"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/admin-form-categories-kk-phone.png`, fullPage: false });
    expect(await violations(page)).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.click('[data-lang="ru"]');
    expect(problems).toEqual([]);
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
