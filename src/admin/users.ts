// Staff accounts as an admin keeps them: create (with a temporary password shown once, or one the admin sets),
// change name, locale, roles and the disabled flag, reset the password. Every change is audited; a disabled user's
// sessions end; the centre is never left without an admin, and an admin cannot take their own admin role away.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.js';
import { ROLES, type StaffUser } from '../auth/policies.js';
import { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Change, commitChange } from '../outbox/change.js';
import type { Database } from '../store/db.js';

export const PASSWORD_MIN = 10;
export const Password = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(200)
  .refine((p) => /\p{L}/u.test(p) && /\p{N}/u.test(p), 'letters and digits both');

/** A role as memberships hold it: an executor or head names an organisation, an official a watched account. */
export const Membership = z
  .object({
    role: z.enum(ROLES),
    organisation: z.string().min(1).max(100).nullable().default(null),
    watch_account: z.string().min(1).max(64).nullable().default(null),
  })
  .refine((m) => (m.role === 'executor' || m.role === 'head') === (m.organisation !== null), {
    message: 'an executor or a head names an organisation, and only they do',
    path: ['organisation'],
  })
  .refine((m) => (m.role === 'official') === (m.watch_account !== null), {
    message: 'an official names a watched account, and only an official does',
    path: ['watch_account'],
  });
export type Membership = z.infer<typeof Membership>;
const Roles = z
  .array(Membership)
  .max(ROLES.length)
  .refine((ms) => new Set(ms.map((m) => m.role)).size === ms.length, 'each role once');

export const NewUser = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  name: z.string().trim().min(1).max(200),
  locale: Language.default('ru'),
  /** Left out: a temporary password is made and shown once. */
  password: Password.optional(),
  roles: Roles,
});
export const UserPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  locale: Language.optional(),
  disabled: z.boolean().optional(),
  roles: Roles.optional(),
});

const temporaryPassword = () => `${randomBytes(9).toString('base64url')}${Math.floor(Math.random() * 10)}`;
const actor = (u: StaffUser) => ({ type: 'user' as const, id: String(u.id) });

async function checkReferences(ctx: Context, roles: Membership[]) {
  const details: { field: string; code: string; params: { id: string }; message: string }[] = [];
  for (const [i, m] of roles.entries()) {
    if (m.organisation && !ctx.city.organisations.some((o) => o.id === m.organisation))
      details.push({
        field: `roles.${i}.organisation`,
        code: 'unknown_organisation',
        params: { id: m.organisation },
        message: `unknown organisation ${m.organisation}`,
      });
    if (m.watch_account) {
      const a = await ctx.db
        .selectFrom('watch_accounts')
        .select('id')
        .where('id', '=', m.watch_account)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!a)
        details.push({
          field: `roles.${i}.watch_account`,
          code: 'unknown_watched_account',
          params: { id: m.watch_account },
          message: `unknown watched account ${m.watch_account}`,
        });
    }
  }
  if (details.length) throw AppError.validation('the roles name what does not exist', details);
}

async function setRoles(change: Change, userId: number, roles: Membership[]) {
  await change.tx.deleteFrom('memberships').where('user_id', '=', userId).execute();
  if (roles.length)
    await change.tx
      .insertInto('memberships')
      .values(roles.map((m) => ({ user_id: userId, role: m.role, organisation_id: m.organisation, watch_account_id: m.watch_account })))
      .execute();
}

export async function createUser(ctx: Context, admin: StaffUser, input: z.infer<typeof NewUser>) {
  await checkReferences(ctx, input.roles);
  const temporary = input.password ? null : temporaryPassword();
  const hash = await hashPassword(input.password ?? (temporary as string));
  const id = await commitChange(ctx.db, actor(admin), async (change) => {
    const taken = await change.tx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (taken) throw AppError.conflict(`a user with the e-mail ${input.email} exists`);
    const row = await change.tx
      .insertInto('users')
      .values({ email: input.email, name: input.name, locale: input.locale, password_hash: hash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setRoles(change, row.id, input.roles);
    change.audit({
      action: 'user.create',
      entityType: 'user',
      entityId: String(row.id),
      data: { email: input.email, name: input.name, locale: input.locale, roles: input.roles, password: temporary ? 'temporary' : 'set' },
    });
    return row.id;
  });
  return { user: await userRow(ctx.db, id), temporary_password: temporary };
}

/** Would the centre keep an active admin other than `userId` once `userId` loses admin? */
async function anotherAdmin(db: Database, userId: number) {
  const r = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.id')
    .where('m.role', '=', 'admin')
    .where('u.disabled', '=', false)
    .where('u.id', '!=', userId)
    .executeTakeFirst();
  return Boolean(r);
}

export async function updateUser(ctx: Context, admin: StaffUser, id: number, patch: z.infer<typeof UserPatch>) {
  if (patch.roles) await checkReferences(ctx, patch.roles);
  await commitChange(ctx.db, actor(admin), async (change) => {
    const user = await change.tx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!user) throw AppError.notFound('user', String(id));
    const before = await change.tx.selectFrom('memberships').select('role').where('user_id', '=', id).execute();
    const wasAdmin = before.some((m) => m.role === 'admin');
    const losesAdmin = wasAdmin && ((patch.roles && !patch.roles.some((m) => m.role === 'admin')) || patch.disabled === true);
    if (losesAdmin && id === admin.id) throw AppError.conflict('an admin cannot remove their own admin role or disable themselves');
    if (losesAdmin && !(await anotherAdmin(change.tx, id))) throw AppError.conflict('the centre would be left without an admin');
    const set = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    };
    if (Object.keys(set).length) await change.tx.updateTable('users').set(set).where('id', '=', id).execute();
    if (patch.roles) await setRoles(change, id, patch.roles);
    // A disabled account is out at once, not when its session would have expired.
    if (patch.disabled) await change.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const action = patch.disabled === true ? 'user.disable' : patch.disabled === false && user.disabled ? 'user.enable' : 'user.update';
    change.audit({
      action,
      entityType: 'user',
      entityId: String(id),
      data: { ...patch, before: { roles: before.map((m) => m.role), disabled: user.disabled } },
    });
  });
  return userRow(ctx.db, id);
}

/** A new password (given, or temporary and shown once); the user's sessions end. */
export async function resetPassword(ctx: Context, admin: StaffUser, id: number, password?: string) {
  const temporary = password ? null : temporaryPassword();
  const hash = await hashPassword(password ?? (temporary as string));
  await commitChange(ctx.db, actor(admin), async (change) => {
    const r = await change.tx.updateTable('users').set({ password_hash: hash }).where('id', '=', id).executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw AppError.notFound('user', String(id));
    await change.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    change.audit({ action: 'user.password_reset', entityType: 'user', entityId: String(id), data: { password: temporary ? 'temporary' : 'set' } });
  });
  return { temporary_password: temporary };
}

export interface UserFilter {
  id?: number | undefined;
  q?: string | undefined;
  role?: string | undefined;
  organisation?: string | undefined;
  disabled?: boolean | undefined;
}

/** Users with their roles; never the password hash. */
export async function listUsers(db: Database, f: UserFilter = {}) {
  let q = db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'disabled', 'created_at']).orderBy('id');
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['email']), 'like', like), eb(eb.fn('lower', ['name']), 'like', like)]));
  }
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  if (f.disabled !== undefined) q = q.where('disabled', '=', f.disabled);
  if (f.role)
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('memberships')
        .select('user_id')
        .where('role', '=', f.role as Membership['role']),
    );
  if (f.organisation) q = q.where('id', 'in', db.selectFrom('memberships').select('user_id').where('organisation_id', '=', f.organisation));
  const users = await q.limit(500).execute();
  const ms = users.length
    ? await db
        .selectFrom('memberships')
        .select(['user_id', 'role', 'organisation_id', 'watch_account_id'])
        .where(
          'user_id',
          'in',
          users.map((u) => u.id),
        )
        .execute()
    : [];
  return users.map((u) => ({
    ...u,
    roles: ms.filter((m) => m.user_id === u.id).map((m) => ({ role: m.role, organisation: m.organisation_id, watch_account: m.watch_account_id })),
  }));
}

async function userRow(db: Database, id: number) {
  const [u] = await listUsers(db, { id });
  if (!u) throw AppError.notFound('user', String(id));
  return u;
}
