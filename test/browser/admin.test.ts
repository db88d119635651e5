// The admin screens in a real browser (Debian's Chromium driven by playwright-core) against a real centre: an admin
// logs in, creates an executor (the server's refusal shown next to the organisation field first), then edits a
// reply template in Kazakh; both reach the running centre at once. Screenshots in ru and kk go to /tmp/shots.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/shots';

describe.skipIf(!existsSync(CHROMIUM))('administration in a browser', () => {
  let centre: TestCentre;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    centre = await startTestCentre();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => d.accept());
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', 'admin@qala.demo');
    await page.fill('#l-password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.locator('#staff-area').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  it('shows the admin link to an admin, and creates an executor after naming the missing organisation', async () => {
    const w = await words(page);
    const link = page.locator('[data-admin-link]');
    await link.waitFor();
    await link.click();
    await page.locator('#view-admin table.admin-table').waitFor();
    expect(await page.locator('#view-admin h1').textContent()).toBe(w.ru('admin.title'));
    await page.click('[data-new-user]');
    const form = page.locator('form.admin-form');
    await form.getByLabel(w.ru('admin.users.email'), { exact: true }).fill('marat.new@qala.demo');
    await form.getByLabel(w.ru('admin.users.name'), { exact: true }).fill('Марат Новый');
    await page.check('input[data-role="executor"]');
    await page.click('.admin-form button[type=submit]');
    // The organisation is missing: the server's message appears beside that field, and nothing is created.
    const orgSelect = page.locator('select[data-path="role.executor.organisation"]');
    await page.locator('select[data-path="role.executor.organisation"][aria-invalid="true"]').waitFor();
    expect(await page.locator('.field-error').count()).toBeGreaterThan(0);
    expect((await centre.api('/api/v1/admin/users?q=marat.new', { token: await adminToken() })).body.users).toEqual([]);
    await orgSelect.selectOption('astana-su-arnasy');
    await page.click('.admin-form button[type=submit]');
    const secret = page.locator('[data-temporary-password]');
    await secret.waitFor();
    const temporary = (await secret.textContent())?.trim() ?? '';
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    await page.locator('tr[data-user="marat.new@qala.demo"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/admin-users-ru.png`, fullPage: false });
    const login = await centre.api('/api/v1/auth/login', { body: { email: 'marat.new@qala.demo', password: temporary } });
    expect(login.status).toBe(200);
    expect(login.body.user.roles).toEqual(['executor']);
    expect(await unnamed(page)).toEqual([]);
  });

  it('edits a reply template in Kazakh: a wrong variable is named under the text, the corrected text applies at once', async () => {
    await page.click('[data-lang="kk"]');
    await page.goto(`${centre.url}/#/admin/templates`);
    const w = await words(page);
    const kk = page.locator('textarea[data-path="templates.status.assigned.kk"]');
    await kk.waitFor();
    await kk.fill('{number} өтініші {organisation} ұйымына {who} берілді.');
    await page.click('.admin-form .sticky-actions button[type=submit]');
    await page.locator('textarea[data-path="templates.status.assigned.kk"][aria-invalid="true"]').waitFor();
    expect(centre.ctx.city.templates['status.assigned']?.kk).not.toContain('ұйымына');
    await page
      .locator('textarea[data-path="templates.status.assigned.kk"]')
      .fill('{number} өтініші {organisation} ұйымына берілді. Мерзімі: {deadline}.');
    await page.click('.admin-form .sticky-actions button[type=submit]');
    await page.locator('.form-status[data-kind="ok"]').first().waitFor();
    expect(centre.ctx.city.templates['status.assigned']?.kk).toBe('{number} өтініші {organisation} ұйымына берілді. Мерзімі: {deadline}.');
    expect(await page.locator('[data-template="status.assigned"] .badge.overridden').textContent()).toBe(w.kk('admin.templates.changed'));
    await page.locator('[data-template="status.assigned"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/admin-templates-kk.png`, fullPage: false });
    await page.goto(`${centre.url}/#/admin/routing`);
    await page.locator('#view-admin table.admin-table').waitFor();
    await page.screenshot({ path: `${SHOTS}/admin-routing-kk.png`, fullPage: false });
    await page.goto(`${centre.url}/#/admin/channels`);
    await page.locator('tr[data-channel="open311"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/admin-channels-kk.png`, fullPage: false });
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  let token: string | null = null;
  async function adminToken() {
    token ??= await centre.login('admin@qala.demo');
    return token;
  }
});
