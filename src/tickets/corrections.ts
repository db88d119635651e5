// The operator's one-click corrections on the console: category, organisation and place (district, address, point).
// Category and organisation go through the lifecycle's assign (the deadlines follow the category, the new
// organisation hears of it, the category becomes a label); the place is changed here, in the same transaction.
// Every correction is a labelled example beside what the engine had said (labels: category, organisation, district,
// address), so retraining and the accuracy figures learn from it, and every change leaves its audit row.
import type { Transaction } from 'kysely';
import { recount } from '../analytics/rollup.js';
import { can, type StaffUser } from '../auth/policies.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { commitChange } from '../outbox/change.js';
import type { DB } from '../store/schema.js';
import { afterAction, applyAction } from './commands.js';

export interface Correction {
  category?: string | undefined;
  organisation?: string | undefined;
  district?: string | undefined;
  /** An empty address clears it (the resident named none that holds). */
  address?: string | undefined;
  point?: { lat: number; lon: number } | null | undefined;
  version?: number | undefined;
}

type LabelField = 'organisation' | 'district' | 'address';

/** A labelled example for `field`; the engine's word (from the message's triage) is kept as `predicted`. */
async function recordLabel(tx: Transaction<DB>, messageId: number, field: LabelField, value: string, predicted: string | null, userId: number) {
  const triage = await tx.selectFrom('message_triage').select(['engine']).where('message_id', '=', messageId).executeTakeFirst();
  await tx
    .insertInto('labels')
    .values({ message_id: messageId, field, value, predicted, engine: triage?.engine ?? null, source: 'operator', user_id: userId })
    // The latest word of an operator counts; what the engine said stays as it was.
    .onConflict((oc) => oc.columns(['message_id', 'field']).doUpdateSet({ value, user_id: userId }))
    .execute();
}

export async function correctTicket(ctx: Context, user: StaffUser, number: string, c: Correction) {
  const before = await ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirst();
  if (!before) throw AppError.notFound('ticket', number);
  if (!can(user, 'assign', before)) throw AppError.forbidden(`correct ticket ${number}`);
  if (c.district !== undefined && !ctx.city.city.districts.some((d) => d.id === c.district))
    throw AppError.validation(`unknown district ${c.district}`);
  const routed = (c.category && c.category !== before.category) || (c.organisation && c.organisation !== before.organisation_id);
  const place = c.district !== undefined || c.address !== undefined || c.point !== undefined;
  if (!routed && !place) return before;
  // One transaction: the new category or organisation and the new place commit together or not at all.
  const updated = await commitChange(ctx.db, { type: 'user', id: String(user.id) }, async (change) => {
    const { tx } = change;
    if (routed)
      await applyAction(change, ctx, user, number, {
        action: 'assign',
        organisation: c.organisation ?? before.organisation_id ?? ctx.city.city.fallback_organisation,
        category: c.category,
        version: c.version,
      });
    const t = await tx.selectFrom('tickets').selectAll().where('number', '=', number).forUpdate().executeTakeFirstOrThrow();
    if (!routed && c.version !== undefined && c.version !== t.version)
      throw AppError.conflict(`ticket ${number} was changed by someone else (version ${t.version})`);
    const triage = await tx
      .selectFrom('message_triage')
      .select(['district', 'address'])
      .where('message_id', '=', t.source_message_id)
      .executeTakeFirst();
    if (c.organisation && c.organisation !== before.organisation_id)
      await recordLabel(tx, t.source_message_id, 'organisation', c.organisation, before.organisation_id, user.id);
    if (!place) return t;
    const address = c.address === undefined ? t.address : c.address.trim() || null;
    const district = c.district ?? t.district;
    const [lat, lon] = c.point === undefined ? [t.lat, t.lon] : c.point === null ? [null, null] : [c.point.lat, c.point.lon];
    const now = ctx.now();
    const placed = await tx
      .updateTable('tickets')
      .set((eb) => ({ district, address, lat, lon, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', t.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (district && district !== t.district) {
      await recordLabel(tx, t.source_message_id, 'district', district, triage?.district ?? null, user.id);
      await recount(tx, ctx.city.calendar.utcOffsetMinutes, [t.source_message_id]); // analytics follow the district
    }
    if (address && address !== t.address) await recordLabel(tx, t.source_message_id, 'address', address, triage?.address ?? null, user.id);
    const moved = (a: unknown, b: unknown) => (a !== b ? { from: a, to: b } : undefined);
    change.audit({
      action: 'ticket.place_corrected',
      entityType: 'ticket',
      entityId: number,
      data: {
        district: moved(t.district, district),
        address: moved(t.address, address),
        point: lat !== t.lat || lon !== t.lon ? { from: t.lat === null ? null : [t.lat, t.lon], to: lat === null ? null : [lat, lon] } : undefined,
      },
    });
    return placed;
  });
  if (routed) await afterAction(ctx, updated, 'assign');
  return updated;
}
