// Starts a Qala process: opens the database, migrates, loads the city, and runs the API and/or the workers.
// Embedded mode (no DATABASE_URL) runs everything in one process on PGlite.
import { startConfigPoller, withStoredConfig } from './admin/config.js';
import { buildServer } from './api/server.js';
import type { Connector } from './channels/connector.js';
import { buildConnectors } from './channels/registry.js';
import { loadCity } from './config/load.js';
import type { Context } from './context.js';
import { type HistoryResult, seedHistory } from './demo/history.js';
import { seedDemo, syncReference } from './demo/seed.js';
import { failpoints } from './failpoints.js';
import { syncWatchlist } from './inbox/watchlist.js';
import { PgBossQueue } from './jobs/pgboss.js';
import { createLogger } from './log.js';
import { conversationDeliverer, OutboxRelay } from './outbox/relay.js';
import { recover, registerStages } from './pipeline.js';
import type { Settings } from './settings.js';
import { SWEEPS } from './sla/sweeps.js';
import { startTicker } from './sla/ticker.js';
import { openStore } from './store/db.js';
import { migrate } from './store/migrate.js';
import { createTriageEngine } from './triage/create.js';
import { LiveTriage } from './triage/learning/live.js';

export interface Centre {
  ctx: Context;
  /** The channel connectors that are configured (on). */
  connectors: Connector[];
  url: string | null;
  /** With `history`: the demo history being filled in the background (src/demo/history.ts), once it is done. */
  demoHistory: Promise<HistoryResult | null> | null;
  close(): Promise<void>;
}

export async function buildContext(settings: Settings): Promise<Context> {
  const log = createLogger(settings.LOG_LEVEL);
  let city = await loadCity(settings.QALA_CITY_DIR);
  const store = await openStore({ databaseUrl: settings.DATABASE_URL, dataDir: settings.QALA_DATA_DIR });
  try {
    const applied = await migrate(store.db);
    if (applied.length) log.info({ applied }, 'migrations applied');
    // An admin's edits of the configuration (src/admin/config.ts) go on top of the files.
    city = await withStoredConfig(store.db, city, log);
    await syncReference(store.db, city);
    await syncWatchlist(store.db, city, { demo: false });
  } catch (err) {
    await store.close();
    throw err;
  }
  const queue = new PgBossQueue(store.db, log);
  const triage = new LiveTriage(createTriageEngine(city), store.db, {
    minConfidence: city.triage.model.min_confidence,
    categories: new Set(city.categories.map((c) => c.code)),
  });
  await triage.sync(true);
  return { settings, city, store, db: store.db, queue, triage, log, now: () => new Date(), failpoint: failpoints(settings.QALA_FAILPOINTS) };
}

export async function startCentre(settings: Settings, opts: { demo?: boolean; history?: boolean } = {}): Promise<Centre> {
  const ctx = await buildContext(settings);
  const { log } = ctx;
  await ctx.queue.start();
  const runWorkers = settings.QALA_ROLE !== 'api';
  const connectors = buildConnectors(ctx);
  const own = conversationDeliverer(ctx.db);
  const deliverers = Object.fromEntries([
    ['web', own],
    ['phone', own],
    ['open311', own],
    ...connectors.flatMap((c) => (c.deliver ? [[c.channel, { deliver: c.deliver.bind(c) }]] : [])),
  ]);
  const relay = new OutboxRelay(ctx.db, deliverers, log);
  if (connectors.length) log.info({ channels: connectors.map((c) => c.channel) }, 'channel connectors on');
  if (runWorkers) {
    await registerStages(ctx);
    const requeued = await recover(ctx);
    if (requeued) log.info({ requeued }, 'unfinished messages put back on the queue');
    relay.start();
    for (const c of connectors) await c.start?.();
  }
  const ticker = runWorkers ? startTicker(ctx, SWEEPS, settings.QALA_SWEEP_SECONDS * 1000) : null;
  // Every process picks up a configuration edit made in another within a few seconds.
  const configPoller = startConfigPoller(ctx);
  if (opts.demo) {
    const seeded = await seedDemo(ctx);
    if (seeded.users || seeded.appeals) log.info(seeded, 'demo data loaded');
  }
  let app: Awaited<ReturnType<typeof buildServer>> | null = null;
  let url: string | null = null;
  if (settings.QALA_ROLE !== 'worker') {
    app = await buildServer(ctx, connectors);
    url = await app.listen({ port: settings.PORT, host: settings.HOST });
  }
  // Two weeks of a working centre take a while to replay: the centre answers meanwhile, and the history fills in.
  const stopHistory = new AbortController();
  const demoHistory =
    opts.demo && opts.history
      ? seedHistory(ctx, { signal: stopHistory.signal })
          .then((r) => {
            if (r.appeals) log.info(r, 'demo history loaded');
            return r;
          })
          .catch((err) => {
            log.error({ err }, 'demo history failed');
            return null;
          })
      : null;
  return {
    ctx,
    connectors,
    url,
    demoHistory,
    async close() {
      stopHistory.abort();
      await demoHistory;
      await app?.close();
      if (runWorkers) for (const c of connectors) await c.stop?.();
      configPoller.stop();
      await ticker?.stop();
      await relay.stop();
      await ctx.queue.stop();
      await ctx.store.close();
    },
  };
}
