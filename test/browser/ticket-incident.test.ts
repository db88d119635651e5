// Grouping from the ticket card in a real browser (Debian's Chromium, playwright-core) against a real centre: an
// operator adds a ticket to an incident by its number (a malformed number is refused beside the field first), sees
// the incident's link, takes the ticket out again after confirming, and finds both steps in the ticket's history;
// then makes a new incident of the ticket and another one. Screenshots in ru and kk go to $QALA_SCREENSHOTS.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestCentre, type TestCentre } from '../centre.js';
import { CHROMIUM_ARGS, unnamed, words } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.QALA_SCREENSHOTS ?? '/tmp/shots';

describe.skipIf(!existsSync(CHROMIUM))('merge into an incident and take out, from the ticket card', () => {
  let centre: TestCentre;
  let browser: Browser;
  let token: string;
  const tickets: string[] = [];
  let incident: string;
  const problems: string[] = [];
  const dialogs: string[] = [];

  async function signedIn(lang: 'ru' | 'kk'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'kk' ? 'kk-KZ' : 'ru-RU' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.accept();
    });
    await page.addInitScript((l) => localStorage.setItem('qala.lang', l), lang);
    await page.goto(`${centre.url}/#/staff`);
    await page.locator('body[data-ready]').waitFor();
    await page.fill('#l-email', 'operator1@qala.demo');
    await page.fill('#l-password', DEMO_PASSWORD);
    await page.locator('#login-form [type=submit]').click();
    await page.locator('#staff-list table.tickets').waitFor();
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    centre = await startTestCentre();
    token = await centre.login('operator1@qala.demo');
    // Four tickets about different problems in different places, so that none is grouped by itself.
    for (const [text, address] of [
      ['Нет холодной воды во всём подъезде', 'улица Кенесары, 40'],
      ['Яма на дороге у остановки', 'проспект Республики, 10'],
      ['Не горит фонарь во дворе', 'улица Бейбитшилик, 3'],
      ['Ауладағы қоқыс жәшігі толып кетті', 'Сарыарқа даңғылы, 5'],
    ]) {
      const r = await centre.api('/api/v1/phone-appeals', { token, body: { text, address } });
      expect(r.status).toBe(201);
      tickets.push(r.body.number);
    }
    const made = await centre.api('/api/v1/incidents', { token, body: { tickets: [tickets[1], tickets[2]] } });
    expect(made.status).toBe(201);
    incident = made.body.number;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.close();
  });

  const ticketOf = async (number: string) => (await centre.api(`/api/v1/tickets/${number}`, { token })).body;

  it('adds the ticket to an incident, shows its link, takes it out after confirming; the history shows both', async () => {
    const page = await signedIn('ru');
    const w = await words(page);
    const [number] = tickets as [string];
    await page.goto(`${centre.url}/#/staff/ticket/${number}`);
    const add = page.locator('form[data-incident-add]');
    await add.waitFor();
    expect(await page.locator('#t-incident').textContent()).toBe(w.ru('ticket.incident'));

    // A malformed number is refused beside the field, before anything is sent.
    await page.fill('#ti-incident', '12345');
    await add.locator('[type=submit]').click();
    await page.locator('#ti-incident[aria-invalid="true"]').waitFor();
    expect(await add.locator('.form-status').textContent()).toBe(w.ru('ticket.incident.bad_number'));
    expect((await ticketOf(number)).incident).toBeNull();

    // The incident's number, typed in lower case as an operator might: the ticket joins it.
    await page.fill('#ti-incident', incident.toLowerCase());
    await add.locator('[type=submit]').click();
    await page.locator('[data-notice]', { hasText: w.ru('ticket.incident.add.done').replace('{number}', incident) }).waitFor();
    const link = page.locator(`[data-incident-of="${incident}"] a`);
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`#/staff/incident/${incident}`);
    expect((await ticketOf(number)).incident).toBe(incident);
    await page.screenshot({ path: `${SHOTS}/ticket-incident-ru.png`, fullPage: true });

    // Taken out after confirming: the card offers the forms again, and the server agrees.
    await page.locator('[data-incident-split]').click();
    await page.locator('[data-notice]', { hasText: w.ru('ticket.incident.split.done').replace('{number}', incident) }).waitFor();
    expect(dialogs.at(-1)).toBe(w.ru('ticket.incident.split.confirm').replace('{ticket}', number).replace('{number}', incident));
    await add.waitFor();
    expect(await page.locator('[data-incident-of]').count()).toBe(0);
    expect((await ticketOf(number)).incident).toBeNull();
    const children = (await centre.api(`/api/v1/incidents/${incident}`, { token })).body.children.map((c: { number: string }) => c.number);
    expect(children).not.toContain(number);

    // The ticket's history names both steps, in order.
    const steps = await page.locator('section[aria-labelledby="t-hist"] .history-what strong').allTextContents();
    const joined = steps.indexOf(w.ru('history.incident_joined'));
    expect(joined).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf(w.ru('history.incident_left'), joined)).toBeGreaterThan(joined);
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('makes a new incident of the ticket and another one, in Kazakh', async () => {
    const page = await signedIn('kk');
    const w = await words(page);
    const [number, , , other] = tickets as [string, string, string, string];
    await page.goto(`${centre.url}/#/staff/ticket/${number}`);
    const create = page.locator('form[data-incident-create]');
    await create.waitFor();
    await page.screenshot({ path: `${SHOTS}/ticket-incident-kk.png`, fullPage: true });
    await page.fill('#ti-numbers', other);
    await create.locator('[type=submit]').click();
    const link = page.locator('[data-incident-of] a');
    await link.waitFor();
    const made = (await link.textContent()) ?? '';
    expect(made).toMatch(/-I\d+$/);
    expect(made).not.toBe(incident);
    await page.locator('[data-notice]', { hasText: w.kk('ticket.incident.create.done').replace('{number}', made) }).waitFor();
    const children = (await centre.api(`/api/v1/incidents/${made}`, { token })).body.children.map((c: { number: string }) => c.number);
    expect(children.sort()).toEqual([number, other].sort());
    expect(await unnamed(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
