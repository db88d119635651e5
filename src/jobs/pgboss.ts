// JobQueue on pg-boss: jobs live in the same PostgreSQL (or PGlite) database as the data they concern.
import PgBoss from 'pg-boss';
import type { Logger } from '../log.js';
import { type Database, sqlExecutor } from '../store/db.js';
import type { JobData, JobHandler, JobName, JobQueue } from './queue.js';

const QUEUES: JobName[] = ['triage', 'route'];

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
    for (const q of QUEUES) await this.boss.createQueue(q);
  }

  async send(name: JobName, data: JobData, opts: { tx?: Parameters<typeof sqlExecutor>[0] } = {}) {
    await this.boss.send(name, { ...data }, opts.tx ? { db: sqlExecutor(opts.tx) } : {});
  }

  async work(name: JobName, handler: JobHandler) {
    await this.boss.work<JobData>(name, { pollingIntervalSeconds: this.pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
      if (job) await handler(job.data);
    });
  }

  async stop() {
    await this.boss.stop({ graceful: true, wait: true, timeout: this.stopTimeoutMs });
    this.stopped = true;
  }
}
