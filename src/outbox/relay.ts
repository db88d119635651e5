// Delivers outgoing messages written by commitChange. A row is claimed with a lease (so a crashed relay's rows
// come back), delivered outside any transaction, then marked sent or rescheduled with exponential backoff.
import { sql } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/db.js';

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  channel: string;
  ticket_id: number | null;
  target: Record<string, unknown>;
  payload: { text: string; language: string } & Record<string, unknown>;
  attempts: number;
}

/** Sends one outgoing message on one channel. Must tolerate being called again for the same row. */
export interface Deliverer {
  deliver(row: OutboxRow): Promise<void>;
}

const LEASE_SECONDS = 60;
const MAX_ATTEMPTS = 12;

export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Database,
    private readonly deliverers: Record<string, Deliverer>,
    private readonly log: Logger,
  ) {}

  /** Delivers what is due now; returns how many rows it handled. */
  async runOnce(limit = 20): Promise<number> {
    const rows = await sql<OutboxRow>`
      UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
      WHERE id IN (
        SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, idempotency_key, channel, ticket_id, target, payload, attempts`.execute(this.db);
    for (const row of rows.rows) await this.deliverOne(row);
    return rows.rows.length;
  }

  private async deliverOne(row: OutboxRow) {
    const deliverer = this.deliverers[row.channel];
    try {
      if (!deliverer) throw new Error(`no deliverer for channel ${row.channel}`);
      await deliverer.deliver(row);
      await this.db.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), last_error: null }).where('id', '=', row.id).execute();
    } catch (err) {
      const failed = row.attempts >= MAX_ATTEMPTS;
      const delay = Math.min(3600, 2 ** row.attempts);
      this.log.warn({ err, outbox: row.id, channel: row.channel, attempts: row.attempts }, 'delivery failed');
      await this.db
        .updateTable('outbox')
        .set({
          status: failed ? 'failed' : 'pending',
          last_error: String((err as Error).message ?? err).slice(0, 1000),
          next_attempt_at: new Date(Date.now() + delay * 1000),
        })
        .where('id', '=', row.id)
        .execute();
    }
  }

  start(intervalMs = 500) {
    const tick = async () => {
      this.running = this.runOnce().catch((err) => this.log.error({ err }, 'outbox relay error'));
      await this.running;
      if (this.timer) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop() {
    const t = this.timer;
    this.timer = null;
    if (t) clearTimeout(t);
    await this.running;
  }
}

/**
 * For the city's own channels (web portal, Open311, the 109 line) "delivering" a reply means recording it in
 * the ticket's conversation, where the resident reads it by number and the operator reads it out on the phone.
 */
export function conversationDeliverer(db: Database): Deliverer {
  return { deliver: (row) => recordInConversation(db, row) };
}

/** Adds a delivered reply to the ticket's conversation as an outgoing message, once per outbox row; a platform
 * connector calls it after the platform accepted the reply, with the platform's id for it. */
export async function recordInConversation(db: Database, row: OutboxRow, platform: Record<string, unknown> = {}): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('messages')
      .values({
        channel: row.channel,
        external_id: `out:${row.idempotency_key}`,
        thread_ref: typeof row.target.thread === 'string' ? row.target.thread : null,
        direction: 'out',
        resident_id: typeof row.target.resident_id === 'number' ? row.target.resident_id : null,
        author_user_id: null,
        text: row.payload.text,
        location: null,
        raw: JSON.stringify({ outbox_id: row.id, language: row.payload.language, template: row.payload.template ?? null, ...platform }),
        stage: 'done',
      })
      .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted && row.ticket_id) await tx.insertInto('ticket_messages').values({ ticket_id: row.ticket_id, message_id: inserted.id }).execute();
  });
}
