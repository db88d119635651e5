// The job queue the pipeline stages talk to. Handlers never know which broker runs them: they get plain data,
// must be idempotent, and may run more than once (at-least-once delivery).
import type { Kysely } from 'kysely';

export type JobName = 'triage' | 'route';
export interface JobData {
  messageId: number;
}
export type JobHandler = (data: JobData) => Promise<void>;

export interface JobQueue {
  /** Enqueue; with `tx` the job is written in that open transaction and exists only if it commits. */
  // biome-ignore lint/suspicious/noExplicitAny: a transaction over any schema
  send(name: JobName, data: JobData, opts?: { tx?: Kysely<any> }): Promise<void>;
  work(name: JobName, handler: JobHandler): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
