// What every service receives: settings, the city's configuration, the database, the job queue, the triage
// engine and a logger. Built once per process in main.ts (and per test).
import type { City } from './config/load.js';
import type { Failpoint } from './failpoints.js';
import type { JobQueue } from './jobs/queue.js';
import type { Logger } from './log.js';
import type { Settings } from './settings.js';
import type { Database, Store } from './store/db.js';
import type { LiveTriage } from './triage/learning/live.js';

export interface Context {
  settings: Settings;
  city: City;
  store: Store;
  db: Database;
  queue: JobQueue;
  /** The seed keywords, and the learnt model once one is active. */
  triage: LiveTriage;
  log: Logger;
  /** The time now. Everything that acts on deadlines asks here, so tests can move the clock. */
  now(): Date;
  failpoint(name: Failpoint): void;
}
