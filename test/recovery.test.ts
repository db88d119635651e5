// Kill the centre between "stored" and "routed" (a real process, killed with SIGKILL by a failpoint), start it
// again on the same database, and check the appeal was neither lost nor processed twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';
import { freshPostgres } from './centre.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const f of cleanups.reverse()) await f();
});

function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['bin/qala.mjs', 'start'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Qala is running: (http:\/\/[\d.:]+)\//.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting:\n${out}`));
    });
  });
}

async function database(): Promise<{ env: Record<string, string>; open: () => ReturnType<typeof openStore> }> {
  if (process.env.DATABASE_URL) {
    const pg = await freshPostgres(process.env.DATABASE_URL);
    cleanups.push(pg.drop);
    return { env: { DATABASE_URL: pg.url }, open: () => openStore({ databaseUrl: pg.url }) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'qala-recovery-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { env: { QALA_DATA_DIR: dir }, open: () => openStore({ dataDir: dir }) };
}

describe('a crash between stored and routed loses nothing', () => {
  it.each(['after-intake', 'after-triage'])(
    'killed %s: on restart the appeal gets exactly one ticket',
    async (failpoint) => {
      const db = await database();
      const first = await startProcess({ ...db.env, QALA_FAILPOINTS: `${failpoint}=exit` });
      const text = `Прорыв трубы, вода заливает подвал (${failpoint})`;
      const answer = await fetch(`${first.url}/api/v1/appeals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, address: 'улица Кенесары 40' }),
      }).then(
        (r) => r.status,
        () => 'connection lost',
      );
      expect(answer).toBe('connection lost'); // the process died mid-request
      expect(await first.exited).toBe(null); // killed by a signal, not a clean exit

      const second = await startProcess(db.env);
      // The restarted workers finish the job; give them a few polling rounds.
      let tickets = 0;
      const store = await (async () => {
        for (let i = 0; i < 60; i++) {
          await new Promise((r) => setTimeout(r, 500));
          if (process.env.DATABASE_URL) {
            const s = await db.open();
            const n = await s.db
              .selectFrom('tickets')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow();
            tickets = Number(n.n);
            await s.close();
            if (tickets > 0) break;
          } else if (i === 10) break; // PGlite is single-process: check after the restarted process stops
        }
        second.child.kill('SIGTERM');
        await second.exited;
        return db.open();
      })();
      try {
        const messages = await store.db.selectFrom('messages').selectAll().where('direction', '=', 'in').execute();
        expect(messages.map((m) => m.text)).toEqual([text]);
        expect(messages[0]?.stage).toBe('done');
        const all = await store.db.selectFrom('tickets').selectAll().execute();
        expect(all).toHaveLength(1);
        expect(all[0]?.category).toBe('WATR');
        const audits = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'ticket.opened').execute();
        expect(audits).toHaveLength(1);
        const outbox = await store.db.selectFrom('outbox').selectAll().execute();
        expect(outbox).toHaveLength(1);
      } finally {
        await store.close();
      }
      // Two real processes start one after the other, each loading the whole city (with its building registry).
    },
    180_000,
  );
});
