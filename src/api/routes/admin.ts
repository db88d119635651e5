// Admin routes for staff accounts: list with filters, create, change (roles, locale, disabled), reset password.
// Admins only (centre permission admin_users); the rules (own admin role, last admin, sessions) are in the commands.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUser, listUsers, NewUser, Password, resetPassword, UserPatch, updateUser } from '../../admin/users.js';
import { canCentre, ROLES } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['admin'] };
const Id = z.object({ id: z.coerce.number().int().positive() });

export const adminRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'admin_users')) throw AppError.forbidden('administer staff accounts');
    });

    app.get(
      '/admin/users',
      {
        schema: {
          ...secured,
          summary: 'Staff accounts with their roles',
          querystring: z.object({
            q: z.string().max(200).optional(),
            role: z.enum(ROLES).optional(),
            organisation: z.string().max(100).optional(),
            disabled: z.enum(['true', 'false']).optional(),
          }),
        },
      },
      async (req) => {
        const { q, role, organisation, disabled } = req.query;
        return { users: await listUsers(ctx.db, { q, role, organisation, disabled: disabled === undefined ? undefined : disabled === 'true' }) };
      },
    );

    app.post('/admin/users', { schema: { ...secured, summary: 'Create a staff account', body: NewUser } }, async (req, reply) => {
      const created = await createUser(ctx, staff(req), req.body);
      return reply.status(201).send(created);
    });

    app.patch(
      '/admin/users/:id',
      { schema: { ...secured, summary: 'Change name, locale, roles or the disabled flag', params: Id, body: UserPatch } },
      async (req) => ({ user: await updateUser(ctx, staff(req), req.params.id, req.body) }),
    );

    app.post(
      '/admin/users/:id/password',
      {
        schema: {
          ...secured,
          summary: 'Set a new password, or make a temporary one shown once; the user is logged out',
          params: Id,
          body: z.object({ password: Password.optional() }).default({}),
        },
      },
      async (req) => resetPassword(ctx, staff(req), req.params.id, req.body.password),
    );
  };
