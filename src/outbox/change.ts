// One helper for every state change: the change itself, its audit row(s) and the outgoing messages it causes
// commit in one transaction, or none of them does. No feature writes audit or outbox rows any other way.
import type { Transaction } from 'kysely';
import type { Database } from '../store/db.js';
import type { DB } from '../store/schema.js';

export interface Actor {
  type: 'user' | 'resident' | 'system';
  id: string | null;
}
export const SYSTEM: Actor = { type: 'system', id: null };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

export interface Outgoing {
  /** Stable across retries of the same change: a replayed change never sends twice. */
  idempotencyKey: string;
  channel: string;
  ticketId: number | null;
  target: Record<string, unknown>;
  payload: { text: string; language: string; template?: string } & Record<string, unknown>;
}

export interface Change {
  tx: Transaction<DB>;
  audit(entry: AuditEntry): void;
  send(message: Outgoing): void;
}

export async function commitChange<T>(db: Database, actor: Actor, fn: (change: Change) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    const audits: AuditEntry[] = [];
    const outgoing: Outgoing[] = [];
    const result = await fn({ tx, audit: (e) => audits.push(e), send: (m) => outgoing.push(m) });
    if (audits.length) {
      await tx
        .insertInto('audit_log')
        .values(
          audits.map((a) => ({
            actor_type: actor.type,
            actor_id: actor.id,
            action: a.action,
            entity_type: a.entityType,
            entity_id: a.entityId,
            data: JSON.stringify(a.data ?? {}),
          })),
        )
        .execute();
    }
    if (outgoing.length) {
      await tx
        .insertInto('outbox')
        .values(
          outgoing.map((m) => ({
            idempotency_key: m.idempotencyKey,
            channel: m.channel,
            ticket_id: m.ticketId,
            target: JSON.stringify(m.target),
            payload: JSON.stringify(m.payload),
          })),
        )
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
    }
    return result;
  });
}
