// `qala deadline` as an administrator runs it, on the Astana configuration.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function qala(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return qalaIn(process.env.TZ, ...args);
}

/** The command in a process whose host time zone is `tz` (undefined: the host's own). */
function qalaIn(tz: string | undefined, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, TZ: tz };
    if (tz === undefined) delete env.TZ;
    const child = spawn(process.execPath, ['bin/qala.mjs', 'deadline', ...args], { cwd: process.cwd(), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('qala deadline', () => {
  it.concurrent('counts working days over the Nauryz holidays, naming the days it skipped', async () => {
    // Friday 20 March 2026, 17:30 in Astana: 21–22 is the weekend, 23–25 March are days off for Nauryz.
    const r = await qala('--at', '2026-03-20T17:30:00+05:00', '--working-days', '1');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      due: '2026-03-26T18:00:00+05:00',
      skipped: ['2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-03-25'],
    });
  });

  it.concurrent('gives the same UTC+5 deadlines whatever time zone the host runs in', async () => {
    // Asia/Almaty moved from UTC+6 to UTC+5 in 2024: older time zone data on a host would disagree with the city,
    // and New York is far from both. The city's offset comes from its configuration, never from the host.
    const zones = ['Asia/Almaty', 'America/New_York', 'Pacific/Kiritimati', 'UTC'];
    const friday = ['--at', '2026-03-20T17:30:00+05:00'];
    for (const args of [
      [...friday, '--working-days', '1'],
      [...friday, '--hours', '2'],
      [...friday, '--category', 'WATR'],
    ]) {
      const runs = await Promise.all(zones.map((tz) => qalaIn(tz, ...args)));
      for (const r of runs) expect(r.status, r.stderr).toBe(0);
      const out = runs.map((r) => JSON.parse(r.stdout));
      for (const o of out) expect(o).toEqual(out[0]);
      expect(out[0].at).toBe('2026-03-20T17:30:00+05:00');
    }
    const runs = await Promise.all(['Asia/Almaty', 'America/New_York'].map((tz) => qalaIn(tz, ...friday, '--working-days', '1')));
    // Filed Friday 17:30 before the Nauryz days off: due at the end of the first working day after them.
    for (const r of runs) expect(JSON.parse(r.stdout).due).toBe('2026-03-26T18:00:00+05:00');
  });

  it.concurrent('counts working hours, and takes a time given in UTC', async () => {
    const r = await qala('--at', '2026-03-20T12:30:00Z', '--hours', '2');
    expect(JSON.parse(r.stdout)).toMatchObject({ at: '2026-03-20T17:30:00+05:00', working_hours: 2, due: '2026-03-26T10:30:00+05:00' });
  });

  it.concurrent('gives the deadlines of a category and urgency with the target that set them', async () => {
    const r = await qala('--at', '2026-03-20T17:30:00+05:00', '--category', 'HEAT', '--urgency', 'critical');
    const j = JSON.parse(r.stdout);
    expect(j.target).toMatchObject({ category: 'HEAT', urgency: 'critical' });
    expect(typeof j.first_response_due).toBe('string');
    expect(j.due).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:00$/);
  });

  it.concurrent('refuses bad input with the reason and the usage', async () => {
    const cases: [string[], RegExp][] = [
      [['--at', '2026-03-20', '--hours', '2'], /--at needs an ISO 8601 time with its offset/],
      [['--at', '2026-03-20T17:30:00+05:00'], /exactly one of --category, --working-days, --hours/],
      [['--at', '2026-03-20T17:30:00+05:00', '--category', 'NOPE'], /unknown category NOPE/],
      [['--at', '2026-03-20T17:30:00+05:00', '--category', 'HEAT', '--urgency', 'asap'], /--urgency must be one of low, normal, high, critical/],
      [['--at', '2026-03-20T17:30:00+05:00', '--working-days', '1.5'], /--working-days must be a positive whole number/],
    ];
    for (const [args, why] of cases) {
      const r = await qala(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toMatch(/deadline --at ISO_TIME/);
    }
  });
});
