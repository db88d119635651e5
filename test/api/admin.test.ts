// Administration over real HTTP: staff accounts (create, roles, disable, reset, refusals, audit) and the city's
// configuration edited at run time (valid → applied at once, invalid → 400 by path and nothing stored, revert),
// picked up by another process on the same database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/passwords.js';
import { login } from '../../src/auth/sessions.js';
import { type Centre, startCentre } from '../../src/main.js';
import { DEMO_PASSWORD, OPEN311_KEY, startTestCentre, type TestCentre, waitFor } from '../centre.js';

let c: TestCentre;
let admin: string;
let adminId: number;

beforeAll(async () => {
  c = await startTestCentre();
  admin = await c.login('admin@qala.demo');
  adminId = (await c.api('/api/v1/auth/me', { token: admin })).body.id;
});
afterAll(() => c?.close());

/** A session made the way POST /auth/login makes one, without spending the login route's rate limit (10 a minute). */
async function sessionOf(email: string, password = DEMO_PASSWORD) {
  const s = await login(c.ctx.db, email, password, 1);
  if (!s) throw new Error(`no session for ${email}`);
  return s.token;
}

const audits = (entityType: string, entityId: string) =>
  c.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute();

describe('who may administer', () => {
  it('answers 401 without a token and 403 to every role but admin', async () => {
    expect((await c.api('/api/v1/admin/users')).status).toBe(401);
    for (const email of ['operator1@qala.demo', 'supervisor@qala.demo', 'executor.water@qala.demo', 'head.water@qala.demo', 'akim@qala.demo']) {
      const token = await sessionOf(email);
      for (const path of ['/api/v1/admin/users', '/api/v1/admin/config/routing', '/api/v1/admin/channels'])
        expect((await c.api(path, { token })).status, `${email} ${path}`).toBe(403);
      expect((await c.api('/api/v1/admin/config/routing', { token, method: 'DELETE' })).status).toBe(403);
    }
  });
});

describe('staff accounts', () => {
  it('creates an executor with a temporary password shown once, who can log in; the audit row keeps no password', async () => {
    const r = await c.api('/api/v1/admin/users', {
      token: admin,
      body: {
        email: 'New.Executor@qala.demo',
        name: 'Жаңа орындаушы',
        locale: 'kk',
        roles: [{ role: 'executor', organisation: 'astana-su-arnasy' }],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ email: 'new.executor@qala.demo', locale: 'kk', disabled: false });
    expect(r.body.user.roles).toEqual([{ role: 'executor', organisation: 'astana-su-arnasy', watch_account: null }]);
    expect(r.body.temporary_password).toMatch(/^.{10,}$/);
    const token = await c.login('new.executor@qala.demo', r.body.temporary_password);
    const me = await c.api('/api/v1/auth/me', { token });
    expect(me.body.roles).toEqual(['executor']);
    const [row] = await audits('user', String(r.body.user.id));
    expect(row).toMatchObject({ action: 'user.create', actor_type: 'user', actor_id: String(adminId) });
    expect(JSON.stringify(row?.data)).not.toContain(r.body.temporary_password);
    const listed = await c.api('/api/v1/admin/users?role=executor&q=new.exec', { token: admin });
    expect(listed.body.users.map((u: { email: string }) => u.email)).toEqual(['new.executor@qala.demo']);
    expect(JSON.stringify(listed.body)).not.toContain('password_hash');
  });

  it('refuses roles that do not fit the memberships: 400 naming the field, nothing created', async () => {
    const bad = [
      [{ role: 'executor' }, 'roles.0.organisation'],
      [{ role: 'operator', organisation: 'ikomek' }, 'roles.0.organisation'],
      [{ role: 'official' }, 'roles.0.watch_account'],
      [{ role: 'executor', organisation: 'no-such-org' }, 'roles.0.organisation'],
      [{ role: 'official', watch_account: 'no-such-account' }, 'roles.0.watch_account'],
    ] as const;
    for (const [role, field] of bad) {
      const r = await c.api('/api/v1/admin/users', { token: admin, body: { email: 'bad@qala.demo', name: 'Bad', roles: [role] } });
      expect(r.status, JSON.stringify(role)).toBe(400);
      expect(r.body.error.details.map((d: { field: string }) => d.field).join(' ')).toContain(field.split('.').pop());
    }
    const weak = await c.api('/api/v1/admin/users', { token: admin, body: { email: 'bad@qala.demo', name: 'Bad', password: 'short', roles: [] } });
    expect(weak.status).toBe(400);
    const dup = await c.api('/api/v1/admin/users', { token: admin, body: { email: 'admin@qala.demo', name: 'Again', roles: [] } });
    expect(dup.status).toBe(409);
    expect(await c.ctx.db.selectFrom('users').select('id').where('email', '=', 'bad@qala.demo').executeTakeFirst()).toBeUndefined();
  });

  it('disables a user (their session ends at once), enables them again, and changes roles and locale', async () => {
    const created = await c.api('/api/v1/admin/users', {
      token: admin,
      body: { email: 'op.temp@qala.demo', name: 'Оператор', password: 'a-long-password-7', roles: [{ role: 'operator' }] },
    });
    const id = created.body.user.id;
    expect(created.body.temporary_password).toBeNull();
    const token = await sessionOf('op.temp@qala.demo', 'a-long-password-7');
    expect((await c.api('/api/v1/tickets', { token })).status).toBe(200);
    const off = await c.api(`/api/v1/admin/users/${id}`, { token: admin, method: 'PATCH', body: { disabled: true } });
    expect(off.body.user.disabled).toBe(true);
    expect((await c.api('/api/v1/tickets', { token })).status).toBe(401);
    expect((await c.api('/api/v1/auth/login', { body: { email: 'op.temp@qala.demo', password: 'a-long-password-7' } })).status).toBe(401);
    const on = await c.api(`/api/v1/admin/users/${id}`, {
      token: admin,
      method: 'PATCH',
      body: { disabled: false, locale: 'en', roles: [{ role: 'head', organisation: 'dept-housing' }] },
    });
    expect(on.body.user).toMatchObject({
      disabled: false,
      locale: 'en',
      roles: [{ role: 'head', organisation: 'dept-housing', watch_account: null }],
    });
    expect((await audits('user', String(id))).map((a) => a.action)).toEqual(['user.create', 'user.disable', 'user.enable']);
  });

  it('refuses an admin removing their own admin role or disabling themselves', async () => {
    const own = await c.api(`/api/v1/admin/users/${adminId}`, { token: admin, method: 'PATCH', body: { roles: [{ role: 'operator' }] } });
    expect(own.status).toBe(409);
    const self = await c.api(`/api/v1/admin/users/${adminId}`, { token: admin, method: 'PATCH', body: { disabled: true } });
    expect(self.status).toBe(409);
    expect((await c.api('/api/v1/auth/me', { token: admin })).body.roles).toEqual(['admin']);
  });

  it('resets a password: a temporary one shown once, the old password and sessions stop working', async () => {
    const created = await c.api('/api/v1/admin/users', {
      token: admin,
      body: { email: 'reset.me@qala.demo', name: 'Reset', password: 'first-password-1', roles: [{ role: 'supervisor' }] },
    });
    const token = await sessionOf('reset.me@qala.demo', 'first-password-1');
    const r = await c.api(`/api/v1/admin/users/${created.body.user.id}/password`, { token: admin, body: {} });
    expect(r.status).toBe(200);
    expect(r.body.temporary_password).toBeTruthy();
    expect((await c.api('/api/v1/tickets', { token })).status).toBe(401);
    // (checked on the stored hash: the login route's rate limit is for people, not for this test's many logins)
    const stored = await c.ctx.db.selectFrom('users').select('password_hash').where('id', '=', created.body.user.id).executeTakeFirstOrThrow();
    expect(await verifyPassword('first-password-1', stored.password_hash)).toBe(false);
    await c.login('reset.me@qala.demo', r.body.temporary_password);
    expect((await c.api('/api/v1/admin/users/999999/password', { token: admin, body: {} })).status).toBe(404);
  });
});

type Rule = { category: string; organisation?: string; registry?: string };
const fileRules = async (): Promise<Rule[]> => (await c.api('/api/v1/admin/config/routing', { token: admin })).body.file.rules;
const fileWater = (text = 'Нет воды в доме третий день, напор нулевой') => c.api('/api/v1/appeals', { body: { text, lat: 51.128, lon: 71.43 } });

describe('city configuration', () => {
  it('applies a changed routing rule at once: the next appeal routes by it; the audit row summarises the change', async () => {
    const view = await c.api('/api/v1/admin/config/routing', { token: admin });
    expect(view.body.override).toBeNull();
    const before = await fileWater();
    expect(before.body.organisation.id).toBe('astana-su-arnasy');
    const rules = await fileRules();
    const i = rules.findIndex((r) => r.category === 'WATR');
    const edited = rules.map((r, j) => (j === i ? { ...r, organisation: 'astana-teplotranzit' } : r));
    const r = await c.api('/api/v1/admin/config/routing', { token: admin, method: 'PUT', body: { value: { rules: edited } } });
    expect(r.status).toBe(200);
    expect(r.body.override.rules[i].organisation).toBe('astana-teplotranzit');
    expect(r.body.file.rules[i].organisation).toBe('astana-su-arnasy');
    const after = await fileWater('Опять нет воды, без воды весь подъезд');
    expect(after.body.organisation.id).toBe('astana-teplotranzit');
    const [row] = await audits('config', 'routing');
    expect(row?.action).toBe('config.edit');
    expect((row?.data as { diff: { changed: string[] } } | undefined)?.diff.changed).toEqual([`rules.${i}.organisation`]);
  });

  it('refuses an invalid section with 400 listing the problems by path, and stores nothing', async () => {
    const count = async () =>
      (
        await c.ctx.db
          .selectFrom('config_versions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const stored = await count();
    const version = c.ctx.city.version;
    const unknownOrg = await c.api('/api/v1/admin/config/routing', {
      token: admin,
      method: 'PUT',
      body: {
        value: {
          rules: [
            { category: 'WATR', organisation: 'no-such-org' },
            { category: '*', organisation: 'ikomek' },
          ],
        },
      },
    });
    expect(unknownOrg.status).toBe(400);
    expect(unknownOrg.body.error.details).toContainEqual(expect.objectContaining({ field: 'rules.0.organisation', section: 'routing' }));
    const shape = await c.api('/api/v1/admin/config/sla', {
      token: admin,
      method: 'PUT',
      body: {
        value: {
          working_hours: { start: '25:00', end: '18:00' },
          targets: [{ category: '*', first_response: { hours: -1 }, resolution: { hours: 5 } }],
        },
      },
    });
    expect(shape.status).toBe(400);
    const fields = shape.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toContain('working_hours.start');
    expect(fields.some((f: string) => f.startsWith('targets.0.first_response'))).toBe(true);
    const template = await c.api('/api/v1/admin/config/templates', {
      token: admin,
      method: 'PUT',
      body: { value: { templates: { acknowledgement: { ru: 'Номер {number} {secret}', kk: 'x', en: 'x' } } } },
    });
    expect(template.status).toBe(400);
    expect(template.body.error.details.map((d: { field: string }) => d.field)).toContain('templates.acknowledgement.ru');
    expect((await c.api('/api/v1/admin/config/nothing', { token: admin })).status).toBe(404);
    expect(await count()).toBe(stored);
    expect(c.ctx.city.version).toBe(version);
  });

  it('edits a template in kk and a calendar holiday; both apply at once', async () => {
    const t = await c.api('/api/v1/admin/config/templates', { token: admin });
    const templates = structuredClone(t.body.file.templates);
    templates['status.assigned'].kk = '{number} өтініші {organisation} ұйымына берілді. Мерзімі: {deadline}.';
    expect((await c.api('/api/v1/admin/config/templates', { token: admin, method: 'PUT', body: { value: { templates } } })).status).toBe(200);
    expect(c.ctx.city.templates['status.assigned']?.kk).toContain('ұйымына берілді');

    const cal = await c.api('/api/v1/admin/config/calendar', { token: admin });
    const years = structuredClone(cal.body.file.years);
    const y2026 = years.find((y: { year: number }) => y.year === 2026);
    y2026.days_off.push({ date: '2026-06-10', name: { ru: 'Тестовый выходной', kk: 'Сынақ демалысы', en: 'Test day off' } });
    expect((await c.api('/api/v1/admin/config/calendar', { token: admin, method: 'PUT', body: { value: { years } } })).status).toBe(200);
    expect(c.ctx.city.calendar.daysOff.has('2026-06-10')).toBe(true);
  });

  it('reverts a section to the file, and routing follows the file again', async () => {
    const r = await c.api('/api/v1/admin/config/routing', { token: admin, method: 'DELETE' });
    expect(r.status).toBe(200);
    expect(r.body.override).toBeNull();
    expect(r.body.history[0].reverted).toBe(true);
    expect((await fileWater('Третий день нет воды в кране')).body.organisation.id).toBe('astana-su-arnasy');
    expect((await audits('config', 'routing')).map((a) => a.action)).toEqual(['config.edit', 'config.revert']);
    const list = await c.api('/api/v1/admin/config', { token: admin });
    expect(list.body.sections).toContainEqual({ section: 'routing', overridden: false });
    expect(list.body.sections).toContainEqual({ section: 'templates', overridden: true });
  });

  it('picks up a version written by another process by polling', async () => {
    const rules = (await fileRules()).map((r) => (r.category === 'WATR' ? { ...r, organisation: 'astana-teplotranzit' } : r));
    // As another process would: a row straight into the table, no call into this one.
    const row = await c.ctx.db
      .insertInto('config_versions')
      .values({ section: 'routing', value: JSON.stringify({ rules }), author_id: adminId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await waitFor('the poller to apply the new version', () => c.ctx.city.version === Number(row.id), 15_000);
    expect(c.ctx.city.routing.find((r) => r.category === 'WATR')?.organisation).toBe('astana-teplotranzit');
    await c.api('/api/v1/admin/config/routing', { token: admin, method: 'DELETE' });
  });

  // PGlite keeps one process per data directory: a second process exists only on PostgreSQL (the test above covers
  // the poller in one process).
  if (process.env.DATABASE_URL)
    it('a second centre process on the same PostgreSQL database starts with the edits and follows new ones', async () => {
      const second: Centre = await startCentre({ ...c.settings, PORT: 0 }, { demo: false });
      try {
        expect(second.ctx.city.templates['status.assigned']?.kk).toContain('ұйымына берілді');
        const rules = (await fileRules()).map((r) => (r.category === 'WATR' ? { ...r, organisation: 'astana-teplotranzit' } : r));
        const r = await c.api('/api/v1/admin/config/routing', { token: admin, method: 'PUT', body: { value: { rules } } });
        expect(r.status).toBe(200);
        await waitFor('the second process to reload', () => second.ctx.city.version === c.ctx.city.version, 15_000);
        const res = await fetch(`${second.url}/api/v1/appeals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'Нет воды, напор пропал', lat: 51.128, lon: 71.43 }),
        });
        expect(((await res.json()) as { organisation: { id: string } }).organisation.id).toBe('astana-teplotranzit');
      } finally {
        await second.close();
      }
    });
});

describe('channel settings', () => {
  it('lists each channel on or off and which settings are set, never a secret value', async () => {
    const r = await c.api('/api/v1/admin/channels', { token: admin });
    expect(r.status).toBe(200);
    const open311 = r.body.channels.find((x: { channel: string }) => x.channel === 'open311');
    expect(open311).toMatchObject({ on: true, settings: [{ name: 'OPEN311_API_KEYS', secret: true, set: true, value: null }] });
    expect(r.body.channels.find((x: { channel: string }) => x.channel === 'telegram').on).toBe(false);
    expect(r.text).not.toContain(OPEN311_KEY);
  });
});
