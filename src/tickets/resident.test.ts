// The resident's own actions on a real database: only on their own ticket, only from the right status, audited
// as the resident, and the resident told through the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../../test/centre.js';
import type { StaffUser } from '../auth/policies.js';
import { AppError } from '../errors.js';
import { fileAppeal } from '../pipeline.js';
import { actOnTicket } from './commands.js';
import { addDetails, confirmResolution, rateTicket, reopenByResident } from './resident.js';

let c: TestCentre;
const admin: StaffUser = { id: 1, email: 'admin@qala.demo', name: 'Admin', locale: 'ru', roles: ['admin'], organisations: [], watchAccounts: [] };

beforeAll(async () => {
  c = await startTestCentre({ QALA_ROLE: 'api' }, { demo: false });
  // A real account behind the staff actor: a resolution is written down as a note by its author.
  const row = await c.ctx.db
    .insertInto('users')
    .values({ email: admin.email, name: admin.name, password_hash: 'not-a-login' })
    .returning('id')
    .executeTakeFirstOrThrow();
  admin.id = row.id;
});
afterAll(() => c?.close());

let seq = 0;
async function resolvedTicket(email = `r${++seq}@example.kz`) {
  const filed = await fileAppeal(c.ctx, {
    channel: 'web',
    externalId: `resident-test-${++seq}`,
    text: 'Нет холодной воды во всём доме на улице Бейбитшилик 25',
    sender: { email },
    raw: {},
  });
  const t = filed.ticket;
  if (!t?.resident_id) throw new Error('no ticket');
  if (t.status === 'new') await actOnTicket(c.ctx, admin, t.number, { action: 'assign', organisation: 'astana-su-arnasy' });
  await actOnTicket(c.ctx, admin, t.number, { action: 'resolve', reason: 'Заменили задвижку' });
  return { number: t.number, residentId: t.resident_id, id: t.id, organisation: (await ticket(t.number)).organisation_id };
}
const ticket = (number: string) => c.ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const outboxTemplates = async (ticketId: number) =>
  (await c.ctx.db.selectFrom('outbox').select('payload').where('ticket_id', '=', ticketId).orderBy('id').execute()).map((r) => r.payload.template);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (e instanceof AppError ? e.code : String(e)),
  );

describe('confirmResolution', () => {
  it('closes a resolved ticket of the resident, audited as the resident, and tells them', async () => {
    const t = await resolvedTicket();
    const closed = await confirmResolution(c.ctx, t.number, t.residentId);
    expect(closed.status).toBe('closed');
    expect(closed.closed_at).not.toBeNull();
    const audit = await c.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', t.number)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect([audit.action, audit.actor_type, audit.actor_id]).toEqual(['ticket.close', 'resident', String(t.residentId)]);
    expect((await outboxTemplates(t.id)).at(-1)).toBe('status.closed');
  });

  it('answers "not found" for another resident’s ticket and refuses a ticket that is not resolved', async () => {
    const t = await resolvedTicket();
    const other = await resolvedTicket();
    expect(await codeOf(confirmResolution(c.ctx, t.number, other.residentId))).toBe('not_found');
    expect(await codeOf(confirmResolution(c.ctx, 'AST-1999-000001', t.residentId))).toBe('not_found');
    await confirmResolution(c.ctx, t.number, t.residentId);
    expect(await codeOf(confirmResolution(c.ctx, t.number, t.residentId))).toBe('invalid_transition');
    expect((await ticket(t.number)).status).toBe('closed');
  });
});

describe('reopenByResident', () => {
  it('reopens a resolved ticket to the same organisation with the resident’s reason', async () => {
    const t = await resolvedTicket();
    expect(await codeOf(reopenByResident(c.ctx, t.number, t.residentId, '  '))).toBe('validation');
    const r = await reopenByResident(c.ctx, t.number, t.residentId, 'Вода так и не появилась');
    expect(r.status).toBe('reopened');
    expect(r.organisation_id).toBe(t.organisation);
    expect(r.resolved_at).toBeNull();
    const audit = await c.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', t.number)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.data).toMatchObject({ from: 'resolved', to: 'reopened', reason: 'Вода так и не появилась', by: 'resident' });
    expect((await outboxTemplates(t.id)).at(-1)).toBe('status.reopened');
  });
});

describe('rateTicket', () => {
  it('keeps one rating per resolved or closed ticket, a second one replacing the first, and refuses bad scores and open tickets', async () => {
    const open = await fileAppeal(c.ctx, {
      channel: 'web',
      externalId: `resident-test-${++seq}`,
      text: 'Не горит фонарь у дома',
      sender: { email: 'open@example.kz' },
      raw: {},
    });
    const openTicket = open.ticket;
    if (!openTicket?.resident_id) throw new Error('no ticket');
    expect(await codeOf(rateTicket(c.ctx, openTicket.number, openTicket.resident_id, 4))).toBe('invalid_transition');
    const t = await resolvedTicket();
    await confirmResolution(c.ctx, t.number, t.residentId);
    expect(await codeOf(rateTicket(c.ctx, t.number, t.residentId, 0))).toBe('validation');
    expect(await codeOf(rateTicket(c.ctx, t.number, t.residentId, 6))).toBe('validation');
    expect(await codeOf(rateTicket(c.ctx, t.number, t.residentId + 1000, 5))).toBe('not_found');
    await rateTicket(c.ctx, t.number, t.residentId, 2, 'долго');
    await rateTicket(c.ctx, t.number, t.residentId, 4);
    const rows = await c.ctx.db.selectFrom('ratings').selectAll().where('ticket_id', '=', t.id).execute();
    expect(rows.map((r) => [r.score, r.comment, r.channel])).toEqual([[4, null, 'web']]);
    const audit = await c.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', t.number)
      .where('action', '=', 'ticket.rated')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.data)).toEqual([
      { score: 2, comment: 'долго', previous: null },
      { score: 4, comment: null, previous: 2 },
    ]);
  });
});

describe('addDetails', () => {
  it('adds a message to the ticket’s conversation once, and not to a closed ticket', async () => {
    const t = await resolvedTicket();
    const d = {
      channel: 'web',
      externalId: `details-${t.number}`,
      text: 'Фото подвала',
      raw: {},
      attachments: [{ contentType: 'image/jpeg', bytes: Buffer.from('jpeg') }],
    };
    const a = await addDetails(c.ctx, t.number, t.residentId, d);
    const b = await addDetails(c.ctx, t.number, t.residentId, d);
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ messageId: a.messageId, duplicate: true });
    const link = await c.ctx.db.selectFrom('ticket_messages').selectAll().where('message_id', '=', a.messageId).execute();
    expect(link).toEqual([{ ticket_id: t.id, message_id: a.messageId }]);
    expect(await c.ctx.db.selectFrom('attachments').select('id').where('message_id', '=', a.messageId).execute()).toHaveLength(1);
    const m = await c.ctx.db.selectFrom('messages').selectAll().where('id', '=', a.messageId).executeTakeFirstOrThrow();
    expect([m.stage, m.direction, m.resident_id]).toEqual(['done', 'in', t.residentId]);
    await confirmResolution(c.ctx, t.number, t.residentId);
    expect(await codeOf(addDetails(c.ctx, t.number, t.residentId, { ...d, externalId: 'late' }))).toBe('invalid_transition');
    expect(await codeOf(addDetails(c.ctx, t.number, t.residentId + 1000, { ...d, externalId: 'stranger' }))).toBe('not_found');
  });
});
