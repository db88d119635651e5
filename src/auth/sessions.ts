// Staff sessions: an opaque random token for the client, only its SHA-256 kept in the database.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../store/db.js';
import { verifyPassword } from './passwords.js';
import { ROLES, type Role, type StaffUser } from './policies.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function login(db: Database, email: string, password: string, hours: number) {
  const user = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  // Verify against a dummy hash for unknown users too, so timing does not tell which e-mails exist.
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) return null;
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ token_hash: sha256(token), user_id: user.id, expires_at: new Date(Date.now() + hours * 3_600_000) })
    .execute();
  return { token, user: (await loadStaffUser(db, user.id)) as StaffUser };
}

export async function logout(db: Database, token: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute();
}

export async function userForToken(db: Database, token: string): Promise<StaffUser | null> {
  const s = await db.selectFrom('sessions').select(['user_id', 'expires_at']).where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!s || s.expires_at.getTime() < Date.now()) return null;
  return loadStaffUser(db, s.user_id);
}

export async function loadStaffUser(db: Database, id: number): Promise<StaffUser | null> {
  const u = await db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'disabled']).where('id', '=', id).executeTakeFirst();
  if (!u || u.disabled) return null;
  const ms = await db.selectFrom('memberships').select(['role', 'organisation_id', 'watch_account_id']).where('user_id', '=', id).execute();
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    locale: u.locale,
    roles: ms.map((m) => m.role).filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    organisations: await withDescendants(
      db,
      ms.flatMap((m) => (m.organisation_id ? [m.organisation_id] : [])),
    ),
    watchAccounts: ms.flatMap((m) => (m.watch_account_id ? [m.watch_account_id] : [])),
  };
}

/** The organisations and every organisation below them in the hierarchy (department → contractor). */
async function withDescendants(db: Database, roots: string[]): Promise<string[]> {
  if (!roots.length) return [];
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE below(id) AS (
      SELECT id FROM organisations WHERE id IN (${sql.join(roots)})
      UNION
      SELECT o.id FROM organisations o JOIN below b ON o.parent_id = b.id
    ) SELECT id FROM below`.execute(db);
  return [...new Set([...roots, ...rows.map((r) => r.id)])];
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
