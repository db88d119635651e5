// What every service receives: settings, the city's configuration, the database, the job queue, the triage
// engine and a logger. Built once per process in main.ts (and per test).
import type { City } from './config/load.js';
import type { Failpoint } from './failpoints.js';
import type { JobQueue } from './jobs/queue.js';
import type { Logger } from './log.js';
import type { Settings } from './settings.js';
import type { Database, Store } from './store/db.js';
import type { TriageEngine } from './triage/types.js';

export interface Context {
  settings: Settings;
  city: City;
  store: Store;
  db: Database;
  queue: JobQueue;
  triage: TriageEngine;
  log: Logger;
  failpoint(name: Failpoint): void;
}
