// The watchlist: loaded from the configuration, edited by admins (audited), and used to attribute each inbound
// message to the officials it tags and to note the watched hashtags and keywords it contains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receive } from '../../src/inbox/intake.js';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
let admin: string;
let operator: string;

beforeAll(async () => {
  c = await startTestCentre();
  admin = await c.login('admin@qala.demo');
  operator = await c.login('operator1@qala.demo');
});
afterAll(() => c?.close());

async function heard(channel: string, text: string, refs: string[] = []) {
  const r = await receive(c.ctx, { channel, externalId: `w-${Math.random()}`, text, addressedTo: refs, audience: 'public', raw: {} });
  return c.ctx.db.selectFrom('messages').select(['addressed_to', 'heard_terms']).where('id', '=', r.messageId).executeTakeFirstOrThrow();
}

describe('watchlist', () => {
  it('comes from the configuration, readable by operators, not by executors', async () => {
    const r = await c.api('/api/v1/watchlist', { token: operator });
    expect(r.status).toBe(200);
    expect(r.body.accounts.find((a: { id: string }) => a.id === 'ikomek109')?.handles.telegram).toEqual(['astanaikomek109_bot']);
    expect(r.body.accounts.some((a: { id: string }) => a.id === 'demo-akim')).toBe(true); // the demo start adds the demo handles
    expect(r.body.hashtags).toContain('astana109');
    expect(r.body.keywords.kk).toContain('әкімдік');
    const executor = await c.login('executor.water@qala.demo');
    expect((await c.api('/api/v1/watchlist', { token: executor })).status).toBe(403);
  });

  it('attributes a post to the officials it tags, on that platform, and notes the watched terms', async () => {
    const m = await heard('instagram', 'Уважаемый @Demo_Akim_Astana, на Кенесары 40 нет воды! #Astana109 Акимату стыдно');
    expect(m.addressed_to).toEqual(['demo-akim']);
    expect(m.heard_terms).toEqual(['#astana109', 'аким', 'акимат']); // keywords match word starts: «Акимату»
    // The same handle on another platform is someone else; the platform's own reference counts as a mention.
    expect((await heard('telegram', 'Спасибо @demo_akim_astana')).addressed_to).toEqual([]);
    expect((await heard('telegram', 'Здравствуйте', ['@AstanaIkomek109_bot'])).addressed_to).toEqual(['ikomek109']);
    // "маким" is not the keyword "аким"; an e-mail address is not a mention.
    const plain = await heard('instagram', 'Максим пишет на info@demo_akim_astana.kz про маким');
    expect(plain).toEqual({ addressed_to: [], heard_terms: [] });
  });

  it('lets an admin add, change and remove accounts and replace the terms, each audited', async () => {
    const body = {
      name: { ru: 'Заместитель акима', kk: 'Әкімнің орынбасары', en: 'Deputy akim' },
      title: { ru: 'Заместитель акима города', kk: 'Қала әкімінің орынбасары', en: 'Deputy akim of the city' },
      handles: { x: ['@Deputy_Test'] },
    };
    expect((await c.api('/api/v1/watchlist/accounts/deputy-test', { token: operator, method: 'PUT', body })).status).toBe(403);
    const put = await c.api('/api/v1/watchlist/accounts/deputy-test', { token: admin, method: 'PUT', body });
    expect(put.status).toBe(200);
    expect((await heard('x', '@deputy_test светофор не работает')).addressed_to).toEqual(['deputy-test']);
    const bad = await c.api('/api/v1/watchlist/accounts/deputy-test', {
      token: admin,
      method: 'PUT',
      body: { ...body, handles: { x: ['no spaces allowed'] } },
    });
    expect(bad.status).toBe(400);

    expect((await c.api('/api/v1/watchlist/accounts/deputy-test', { token: admin, method: 'DELETE' })).status).toBe(200);
    expect((await heard('x', '@deputy_test светофор не работает')).addressed_to).toEqual([]);
    expect((await c.api('/api/v1/watchlist/accounts/nobody', { token: admin, method: 'DELETE' })).status).toBe(404);

    const terms = await c.api('/api/v1/watchlist/terms', {
      token: admin,
      method: 'PUT',
      body: { hashtags: ['#Qala'], keywords: { ru: ['светофор'], kk: [], en: [] } },
    });
    expect(terms.status).toBe(200);
    expect((await heard('x', 'Светофоры опять #qala #astana109')).heard_terms).toEqual(['#qala', 'светофор']);

    const audit = await c.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'watchlist.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['watchlist.account.put', 'watchlist.account.delete', 'watchlist.terms.put']);
  });
});

describe('an official', () => {
  it('links their own accounts, and sees only the tickets residents opened by tagging them', async () => {
    const akim = await c.login('akim@qala.demo');
    const mine = await c.api('/api/v1/me/watch-accounts', { token: akim });
    expect(mine.body.accounts.map((a: { id: string }) => a.id)).toEqual(['demo-akim']);
    const link = await c.api('/api/v1/me/watch-accounts/demo-akim', {
      token: akim,
      method: 'PUT',
      body: { handles: { instagram: ['demo_akim_astana'], telegram: ['Demo_Akim_Bot'] } },
    });
    expect(link.status).toBe(200);
    expect((await c.api('/api/v1/me/watch-accounts/akim', { token: akim, method: 'PUT', body: { handles: {} } })).status).toBe(403);

    // A resident tags the akim on Instagram (a public complaint), another one writes without tagging anyone.
    const tagged = await receive(c.ctx, {
      channel: 'instagram',
      externalId: 'comment:official-1',
      text: '@demo_akim_astana в доме на Кенесары 40 третий день нет горячей воды',
      audience: 'public',
      raw: {},
    });
    const untagged = await receive(c.ctx, {
      channel: 'instagram',
      externalId: 'comment:official-2',
      text: 'Нет горячей воды, Кенесары 42',
      audience: 'public',
      raw: {},
    });
    const deadline = Date.now() + 30_000;
    const ticketOf = (id: number) => c.ctx.db.selectFrom('tickets').select('number').where('source_message_id', '=', id).executeTakeFirst();
    while ((!(await ticketOf(tagged.messageId)) || !(await ticketOf(untagged.messageId))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const mineTicket = (await ticketOf(tagged.messageId))?.number as string;
    const otherTicket = (await ticketOf(untagged.messageId))?.number as string;

    const list = await c.api('/api/v1/tickets', { token: akim });
    expect(list.status).toBe(200);
    const listed: string[] = list.body.tickets.map((t: { number: string }) => t.number);
    expect(listed).toContain(mineTicket);
    expect(listed).not.toContain(otherTicket);
    // Every one of them was opened by a message that tagged the akim (an earlier test's post did too).
    const sources = await c.ctx.db
      .selectFrom('tickets')
      .innerJoin('messages', 'messages.id', 'tickets.source_message_id')
      .select('messages.addressed_to')
      .where('tickets.number', 'in', listed)
      .execute();
    expect(sources.every((m) => m.addressed_to.includes('demo-akim'))).toBe(true);
    expect((await c.api(`/api/v1/tickets/${mineTicket}`, { token: akim })).status).toBe(200);
    expect((await c.api(`/api/v1/tickets/${otherTicket}`, { token: akim })).status).toBe(403);
    // Looking on is all an official does here: the centre's work stays with its staff.
    expect((await c.api(`/api/v1/tickets/${mineTicket}/actions`, { token: akim, body: { action: 'close' } })).status).toBe(403);
    expect((await c.api('/api/v1/watchlist', { token: akim })).status).toBe(403);
  }, 60_000);
});
