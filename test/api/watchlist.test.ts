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
