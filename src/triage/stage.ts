// Pipeline stage "triage": reads a stored message, runs the engine, stores the decision once, hands on to routing.
import { recount } from '../analytics/rollup.js';
import type { Context } from '../context.js';
import { findRepeat } from './repeats.js';
import type { TriageResult } from './types.js';

export async function triageMessage(ctx: Context, messageId: number): Promise<void> {
  const msg = await ctx.db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
  if (!msg || msg.direction !== 'in' || msg.stage !== 'received') return; // already past this stage
  await ctx.triage.sync();
  const t = withDeclared(
    ctx.triage.triage({ text: msg.text, lat: msg.location?.lat, lon: msg.location?.lon, address: msg.location?.address }),
    msg.raw,
    new Set(ctx.city.categories.map((c) => c.code)),
  );
  const repeat = await findRepeat(ctx.db, messageId, {
    text: msg.text,
    category: t.category,
    lat: t.lat,
    lon: t.lon,
    address: t.address,
    district: t.district,
    at: msg.received_at,
  });
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('message_triage')
      .values({
        ...triageRow(messageId, t),
        dup_signature: repeat.signature,
        duplicate_of: repeat.match?.messageId ?? null,
        duplicate: repeat.match ? JSON.stringify({ score: repeat.match.score, ...repeat.match.why }) : null,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
    // Counted for analytics in the same transaction; a replay finds it counted (src/analytics/rollup.ts).
    await recount(tx, ctx.city.calendar.utcOffsetMinutes, [messageId]);
    const moved = await tx
      .updateTable('messages')
      .set({ stage: 'triaged' })
      .where('id', '=', messageId)
      .where('stage', '=', 'received')
      .executeTakeFirst();
    if (moved.numUpdatedRows > 0n) await ctx.queue.send('route', { messageId }, { tx });
  });
  ctx.failpoint('after-triage');
}

/** What the sender stated outright (an Open311 client's service_code, a danger flag) overrides the guess. */
function withDeclared(t: TriageResult, raw: Record<string, unknown>, known: Set<string>): TriageResult {
  const declared = typeof raw.declared_category === 'string' && known.has(raw.declared_category) ? raw.declared_category : null;
  const attrs = (raw.attribute ?? {}) as Record<string, unknown>;
  const danger = attrs.danger === 'yes';
  if (!declared && !danger) return t;
  return {
    ...t,
    ...(declared ? { category: declared, confidence: 1 } : {}),
    ...(danger ? { urgency: 'critical' as const } : {}),
    explanation: {
      ...t.explanation,
      ...(declared
        ? {
            category: [{ keyword: 'declared by the sender', category: declared }],
            categoryBy: { ...t.explanation.categoryBy, method: 'declared' as const },
          }
        : {}),
      ...(danger ? { urgency: [...t.explanation.urgency, 'danger declared by the sender'] } : {}),
    },
  };
}

function triageRow(messageId: number, t: TriageResult) {
  return {
    message_id: messageId,
    engine: t.engine,
    language: t.language,
    kind: t.kind,
    category: t.category,
    confidence: t.confidence,
    sentiment: t.sentiment,
    urgency: t.urgency,
    address: t.address,
    lat: t.lat,
    lon: t.lon,
    district: t.district,
    explanation: JSON.stringify({ ...t.explanation, reply_language: t.replyLanguage, language_confidence: t.languageConfidence }),
  };
}
