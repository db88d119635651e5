// `qala import` as a city would run it: an export of another tool's posts, through the inbox and triage, into
// tickets where actionable; a bad row reported and skipped; a second run adds nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { freshPostgres } from '../centre.js';

const dir = mkdtempSync(join(tmpdir(), 'qala-import-'));
let env: Record<string, string>;
let drop = async () => {};

beforeAll(async () => {
  env = { ...(process.env as Record<string, string>), QALA_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
  if (process.env.DATABASE_URL) {
    const db = await freshPostgres(process.env.DATABASE_URL);
    env.DATABASE_URL = db.url;
    drop = db.drop;
  }
});
afterAll(async () => {
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

function qala(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/qala.mjs', ...args], { cwd: process.cwd(), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const ROWS = [
  { id: 'p1', text: '@akimat_astana на Кенесары 40 третий день нет горячей воды!', created_at: '2026-11-20T08:00:00+05:00', author: 'aigerim' },
  { id: 'p2', text: 'Рахмет әкімдікке, аулада жаңа балалар алаңы керемет!', created_at: '2026-11-20T09:00:00+05:00', author: 'nurlan' },
  { id: 'p3', text: '', author: 'empty' },
  { id: 'p4', text: 'Lift is stuck again in Turan 37, Nura district', created_at: '1763622000', author: 'tom' },
  { id: 'p5', text: 'Светофор на перекрестке Кабанбай батыра и Сыганак не работает', created_at: 'yesterday', author: 'x' },
];

describe('qala import', () => {
  const file = join(dir, 'export.jsonl');
  let store: Store;

  it('imports each good row once, reports the bad ones by line, and answers with counts', async () => {
    writeFileSync(file, `${ROWS.map((r) => JSON.stringify(r)).join('\n')}\n{broken\n`);
    const r = await qala('import', '--input', file, '--channel', 'listening');
    expect(r.stderr).toMatch(/line 3: skipped, no text in field "text"/);
    expect(r.stderr).toMatch(/line 5: skipped, "yesterday" in field "created_at" is not a time/);
    expect(r.stderr).toMatch(/line 6: skipped, not valid JSON/);
    expect(r.stdout).toMatch(/read 5 rows: 3 new messages, 0 already imported, 3 skipped/);
    expect(r.status).toBe(0);
  }, 60_000);

  it('adds nothing on a second run', async () => {
    const r = await qala('import', '--input', file, '--channel', 'listening');
    expect(r.stdout).toMatch(/3 already imported/);
    expect(r.status).toBe(0);
  }, 60_000);

  it('turns the complaints into tickets and keeps the thanks for analytics only', async () => {
    store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.QALA_DATA_DIR });
    try {
      const msgs = await store.db
        .selectFrom('messages')
        .leftJoin('tickets', 'tickets.source_message_id', 'messages.id')
        .select([
          'messages.external_id',
          'messages.text',
          'messages.audience',
          'messages.stage',
          'messages.no_ticket_reason',
          'messages.received_at',
          'tickets.number',
        ])
        .where('messages.channel', '=', 'listening')
        .orderBy('messages.external_id')
        .execute();
      expect(msgs.map((m) => m.external_id)).toEqual(['import:p1', 'import:p2', 'import:p4']);
      const [p1, p2, p4] = msgs;
      expect(p1?.text).toBe(ROWS[0]?.text); // the resident's words as written
      expect(p1?.audience).toBe('public');
      expect(p1?.number).toMatch(/^AST-2026-\d{6}$/);
      expect(p1?.received_at.toISOString()).toBe('2026-11-20T03:00:00.000Z');
      expect(p2?.number).toBeNull();
      expect(p2?.no_ticket_reason).toBe('kind:thanks');
      expect(p2?.stage).toBe('done');
      expect(p4?.received_at.toISOString()).toBe(new Date(1763622000 * 1000).toISOString());
    } finally {
      await store.close();
    }
  });

  it('refuses a bad channel name or audience with a clear message', async () => {
    const a = await qala('import', '--input', file, '--channel', 'Bad Name');
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/--channel must be a short lower-case name/);
    const b = await qala('import', '--input', file, '--channel', 'x', '--audience', 'everyone');
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/--audience must be public or direct/);
  }, 60_000);
});
