// The journey of an inbound message, wired together: inbox → triage → routing/ticket → outbox.
// Stages are queue handlers (at-least-once, idempotent); `processNow` runs the same handlers inline so a
// resident filing on the web gets a number at once, and `recover` re-enqueues anything left half-way.
import type { Context } from './context.js';
import { type InboundMessage, receive } from './inbox/intake.js';
import { routeMessage } from './routing/stage.js';
import { ticketForMessage } from './tickets/repository.js';
import { retrain } from './triage/learning/retrain.js';
import { triageMessage } from './triage/stage.js';

export async function registerStages(ctx: Context): Promise<void> {
  await ctx.queue.work('triage', ({ messageId }) => triageMessage(ctx, messageId));
  await ctx.queue.work('route', ({ messageId }) => routeMessage(ctx, messageId));
  await ctx.queue.work('retrain', async ({ reason }) => {
    const outcome = await retrain(ctx, reason);
    if (outcome.status === 'skipped') ctx.log.info({ reason, why: outcome.why }, 'triage model not retrained');
    await ctx.triage.sync(true);
  });
}

export async function processNow(ctx: Context, messageId: number): Promise<void> {
  ctx.failpoint('after-intake');
  await triageMessage(ctx, messageId);
  await routeMessage(ctx, messageId);
}

/** Messages not yet done (e.g. the queue row was lost with a crashed broker): put them back on the queue. */
export async function recover(ctx: Context): Promise<number> {
  const pending = await ctx.db
    .selectFrom('messages')
    .select(['id', 'stage'])
    .where('direction', '=', 'in')
    .where('stage', '!=', 'done')
    .orderBy('id')
    .execute();
  for (const m of pending) await ctx.queue.send(m.stage === 'received' ? 'triage' : 'route', { messageId: m.id });
  return pending.length;
}

/**
 * For the city's own channels: store the appeal, then carry it through the stages at once so the resident gets
 * a number in the same response. If a stage fails here, the queued job finishes the work later.
 */
export async function fileAppeal(ctx: Context, msg: InboundMessage) {
  const received = await receive(ctx, msg);
  try {
    await processNow(ctx, received.messageId);
  } catch (err) {
    ctx.log.error({ err, message: received.messageId }, 'inline processing failed; the queue will retry');
  }
  return { ...received, ticket: await ticketForMessage(ctx.db, received.messageId) };
}
