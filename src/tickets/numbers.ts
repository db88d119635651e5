// Ticket numbers PREFIX-YYYY-NNNNNN: a per-year counter, taken inside the transaction that opens the ticket.
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';

export async function nextTicketNumber(tx: Transaction<DB>, prefix: string, year: number): Promise<string> {
  const row = await tx
    .insertInto('ticket_counters')
    .values({ prefix, year, value: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet((eb) => ({ value: eb('ticket_counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return `${prefix}-${year}-${String(row.value).padStart(6, '0')}`;
}

export const TICKET_NUMBER = /^[A-Z]{2,5}-\d{4}-\d{6,}$/;
