// Authentication for staff routes: a bearer token from POST /api/v1/auth/login.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffUser } from '../auth/policies.js';
import { userForToken } from '../auth/sessions.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: StaffUser | null;
  }
}

export function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() || null : null;
}

export function requireUser(ctx: Context) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = bearer(req);
    const user = token ? await userForToken(ctx.db, token) : null;
    if (!user) throw AppError.unauthenticated();
    req.user = user;
  };
}

/** The authenticated user of a route guarded by requireUser. */
export function staff(req: FastifyRequest): StaffUser {
  if (!req.user) throw AppError.unauthenticated();
  return req.user;
}
