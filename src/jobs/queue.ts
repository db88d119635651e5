// The job queue the pipeline stages talk to. Handlers never know which broker runs them: they get plain data,
// must be idempotent, and may run more than once (at-least-once delivery).
import type { Kysely } from 'kysely';

/** Each job and the data it carries. */
export interface Jobs {
  triage: { messageId: number };
  route: { messageId: number };
  /** Learn a new category model from the labelled examples (at most one waiting at a time). */
  retrain: { reason: string };
}
export type JobName = keyof Jobs;
export type JobHandler<N extends JobName> = (data: Jobs[N]) => Promise<void>;

export interface JobQueue {
  /** Enqueue; with `tx` the job is written in that open transaction and exists only if it commits. */
  // biome-ignore lint/suspicious/noExplicitAny: a transaction over any schema
  send<N extends JobName>(name: N, data: Jobs[N], opts?: { tx?: Kysely<any> }): Promise<void>;
  work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
