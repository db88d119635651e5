// The `qala` command line: start the centre (embedded or one role of a scaled-out deployment), migrate, and the
// triage model's train / triage / eval. Heavy modules load inside their command, so the model verbs start fast.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OPINION_USAGE, opinionCommand } from './analytics/opinion-command.js';
import { REGISTRY_USAGE, registryCommand } from './routing/command.js';
import { readSettings, type Settings } from './settings.js';
import { DEADLINE_USAGE, deadlineCommand } from './sla/command.js';
import { evalCommand, MODEL_USAGE, trainCommand, triageCommand } from './triage/model/commands.js';

const USAGE = `usage: qala <command> [options]
  start [--demo]   start the centre (API, workers, web page); --demo loads the demo accounts and appeals and
                   replays a feed of posts through local stand-ins of the platforms (QALA_DEMO_FEED=off: not)
  migrate          apply database migrations and exit
  import --input FILE --channel NAME [--audience public|direct] [--text-field text] [--id-field id]
         [--time-field created_at] [--author-field author]
                   messages exported from another source (CSV or JSONL) through the inbox and triage;
                   re-importing adds nothing
${MODEL_USAGE}
${DEADLINE_USAGE}
${REGISTRY_USAGE}
${OPINION_USAGE}
Settings come from the environment: see docs/configuration.md.`;

/** A demo Open311 key, kept in the data directory so it survives restarts. */
function demoOpen311Key(settings: Settings): string {
  const file = join(settings.QALA_DATA_DIR, 'open311-demo-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `demo-${randomBytes(12).toString('hex')}`;
  mkdirSync(settings.QALA_DATA_DIR, { recursive: true });
  writeFileSync(file, key);
  return key;
}

const PLATFORM_NAMES = { telegram: 'Telegram', instagram: 'Instagram', facebook: 'Facebook', x: 'X', vk: 'VK', email: 'e-mail' } as const;

async function start(args: string[]) {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
  const { startCentre } = await import('./main.js');
  const settings = readSettings();
  if (values.demo && settings.OPEN311_API_KEYS.length === 0) settings.OPEN311_API_KEYS = [demoOpen311Key(settings)];
  // The demo feed's stand-ins start first, so the connectors are built pointing at them. The feed needs the webhooks
  // and the pollers of one process (QALA_ROLE=all, as npm start runs).
  const withFeed = values.demo && settings.QALA_DEMO_FEED === 'on' && settings.QALA_ROLE === 'all';
  const feed = withFeed ? await (await import('./demo/feed.js')).startDemoFeed(settings) : null;
  let centre: Awaited<ReturnType<typeof startCentre>>;
  try {
    // The demo's two weeks of history fill in after the server listens (QALA_DEMO_HISTORY=off: without it).
    centre = await startCentre(
      { ...settings, ...feed?.settings },
      { demo: values.demo, history: values.demo && process.env.QALA_DEMO_HISTORY !== 'off' },
    );
  } catch (err) {
    await feed?.stop();
    throw err;
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) process.exit(1); // a second Ctrl-C does not wait
    closing = true;
    centre.ctx.log.info({ signal }, 'shutting down');
    await feed?.halt();
    await centre.close();
    await feed?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  feed?.replay(centre).catch((err) => centre.ctx.log.error({ err }, 'demo feed failed'));
  if (!centre.url) return;
  const lines = [
    '',
    `Qala is running: ${centre.url}/ (${centre.ctx.city.city.name.en}, database: ${centre.ctx.store.kind === 'pglite' ? `embedded in ${settings.QALA_DATA_DIR}` : 'PostgreSQL'})`,
    `  API docs:  ${centre.url}/docs     Open311: ${centre.url}/open311/discovery.json`,
  ];
  if (values.demo) {
    lines.push('  Demo accounts (demo only; password for all shown):');
    for (const u of centre.ctx.city.demo.users)
      lines.push(
        `    ${u.role.padEnd(10)} ${u.email.padEnd(32)} ${u.password}${u.organisation || u.watch_account ? `  (${u.organisation ?? u.watch_account})` : ''}`,
      );
  }
  if (settings.OPEN311_API_KEYS[0]) lines.push(`  Open311 api_key: ${settings.OPEN311_API_KEYS[0]}`);
  if (centre.demoHistory)
    lines.push('  Demo history: two weeks of appeals and their work are being replayed in the background (QALA_DEMO_HISTORY=off skips it)');
  if (feed)
    lines.push(
      `  Demo feed: replaying ${feed.items.length} posts over ~${Math.ceil(feed.span / 60)} min through local stand-ins of ${feed.platforms.map((p) => PLATFORM_NAMES[p]).join(', ')} (QALA_DEMO_FEED=off: no feed)`,
    );
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function migrateOnly() {
  const { openStore } = await import('./store/db.js');
  const { migrate } = await import('./store/migrate.js');
  const settings = readSettings();
  const store = await openStore({ databaseUrl: settings.DATABASE_URL, dataDir: settings.QALA_DATA_DIR });
  const applied = await migrate(store.db);
  await store.close();
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
}

async function importMessages(args: string[]) {
  const { DEFAULT_IMPORT, importFile } = await import('./channels/import.js');
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      channel: { type: 'string' },
      audience: { type: 'string', default: DEFAULT_IMPORT.audience },
      'text-field': { type: 'string', default: DEFAULT_IMPORT.textField },
      'id-field': { type: 'string', default: DEFAULT_IMPORT.idField },
      'time-field': { type: 'string', default: DEFAULT_IMPORT.timeField },
      'author-field': { type: 'string', default: DEFAULT_IMPORT.authorField },
    },
  });
  if (!values.input || !values.channel) throw new Error(`missing --input or --channel\n${USAGE}`);
  if (values.audience !== 'public' && values.audience !== 'direct') throw new Error(`--audience must be public or direct, not ${values.audience}`);
  const { buildContext } = await import('./main.js');
  const { progressBar } = await import('./triage/model/commands.js');
  const { reportToStderr } = await import('./triage/model/dataset.js');
  const { createReadStream } = await import('node:fs');
  // Count the lines first, so the bar knows its end (a CSV's header and multi-line fields make it approximate).
  let total = 0;
  for await (const chunk of createReadStream(values.input)) for (const b of chunk as Buffer) if (b === 10) total++;
  const ctx = await buildContext({ ...readSettings(), LOG_LEVEL: 'warn' });
  await ctx.queue.start();
  try {
    const bar = progressBar();
    const counts = await importFile(
      ctx,
      values.input,
      {
        channel: values.channel,
        audience: values.audience,
        textField: values['text-field'],
        idField: values['id-field'],
        timeField: values['time-field'],
        authorField: values['author-field'],
      },
      { onBad: reportToStderr, onProgress: (done) => bar('importing', Math.min(done, total), Math.max(total, done)) },
    );
    bar('importing', Math.max(total, 1), Math.max(total, 1));
    process.stdout.write(`read ${counts.read} rows: ${counts.stored} new messages, ${counts.repeated} already imported, ${counts.skipped} skipped\n`);
  } finally {
    await ctx.queue.stop();
    await ctx.store.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'start') await start(rest);
  else if (command === 'migrate') await migrateOnly();
  else if (command === 'import') await importMessages(rest);
  else if (command === 'deadline') await deadlineCommand(rest);
  else if (command === 'registry') await registryCommand(rest);
  else if (command === 'opinion') await opinionCommand(rest);
  else if (command === 'train') await trainCommand(rest);
  else if (command === 'triage') await triageCommand(rest);
  else if (command === 'eval') await evalCommand(rest);
  else {
    process.stderr.write(`${USAGE}\n`);
    process.exit(command ? 2 : 0);
  }
} catch (err) {
  process.stderr.write(`qala: ${(err as Error).message}\n`);
  process.exit(1);
}
