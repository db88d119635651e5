// JobQueue on pg-boss: jobs live in the same PostgreSQL (or PGlite) database as the data they concern.
import PgBoss from 'pg-boss';
import type { Logger } from '../log.js';
import { type Database, sqlExecutor } from '../store/db.js';
import type { JobHandler, JobName, JobQueue, Jobs } from './queue.js';

// "stately": at most one retrain waiting and one running, however often it is asked for.
const BATCH = 20;

const QUEUES: { name: JobName; policy: 'standard' | 'stately' }[] = [
  { name: 'triage', policy: 'standard' },
  { name: 'route', policy: 'standard' },
  { name: 'retrain', policy: 'stately' },
];

export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private stopped = false;

  constructor(
    db: Database,
    private readonly log: Logger,
    private readonly pollingIntervalSeconds = 0.5,
    private readonly stopTimeoutMs = 5000,
  ) {
    const executor = sqlExecutor(db);
    this.boss = new PgBoss({
      // After stop, a handler that outlived the timeout still reports on its job, and pg-boss does not await that
      // report. The database is being closed, so the report answers with no rows at all, which pg-boss reads as
      // "nothing affected" (an empty array would make it read rows[0]); the job expires and is retried later.
      db: { executeSql: (text: string, values: unknown[]) => (this.stopped ? Promise.resolve({}) : executor.executeSql(text, values)) },
      schedule: false,
      // A job whose worker died is retried after it expires; handlers are idempotent.
      retryLimit: 10,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 60,
    } as PgBoss.ConstructorOptions);
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  async start() {
    this.stopped = false;
    await this.boss.start();
    for (const q of QUEUES) await this.boss.createQueue(q.name, { name: q.name, policy: q.policy });
  }

  async send<N extends JobName>(name: N, data: Jobs[N], opts: { tx?: Parameters<typeof sqlExecutor>[0] } = {}) {
    await this.boss.send(name, { ...data }, opts.tx ? { db: sqlExecutor(opts.tx) } : {});
  }

  async work<N extends JobName>(name: N, handler: JobHandler<N>) {
    // pg-boss waits its polling interval after every fetch, whatever it found, so a batch per fetch keeps a burst
    // moving. Each job still succeeds or fails on its own: a failed one is failed (and retried) by itself, and
    // pg-boss completes the rest when the batch returns (completion only touches jobs still active).
    await this.boss.work<Jobs[N]>(name, { pollingIntervalSeconds: this.pollingIntervalSeconds, batchSize: BATCH }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(job.data);
        } catch (err) {
          this.log.warn({ err, queue: name, job: job.id }, 'job failed; it will be retried');
          await this.boss.fail(name, job.id, { message: (err as Error).message });
        }
      }
    });
  }

  async stop() {
    await this.boss.stop({ graceful: true, wait: true, timeout: this.stopTimeoutMs });
    this.stopped = true;
  }
}
