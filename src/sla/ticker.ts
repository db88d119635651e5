// The clock that makes deadlines act: every few seconds each sweep looks at what is due by now (escalations,
// return timers, the resident's confirmation window, daily summaries) and acts on it. Sweeps read stored times
// and record what they did under unique keys, so a sweep that runs twice, in two processes or after a crash in the
// middle, never acts twice and never misses what fell due while nothing ran.
import type { Context } from '../context.js';

export interface Sweep {
  name: string;
  /** Acts on everything due at `now`; returns how many things it did. */
  run(ctx: Context, now: Date): Promise<number>;
}

/** Runs every sweep once, in order; one that fails is logged and does not stop the others. */
export async function sweepOnce(ctx: Context, sweeps: readonly Sweep[], now = ctx.now()): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  for (const s of sweeps) {
    try {
      done[s.name] = await s.run(ctx, now);
    } catch (err) {
      ctx.log.error({ err, sweep: s.name }, 'sweep failed; it runs again at the next tick');
    }
  }
  return done;
}

export function startTicker(ctx: Context, sweeps: readonly Sweep[], everyMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = sweepOnce(ctx, sweeps).then((done) => {
      const acted = Object.entries(done).filter(([, n]) => n > 0);
      if (acted.length) ctx.log.info(Object.fromEntries(acted), 'sweeps acted');
    });
  };
  // The first tick comes one interval after start, so a process that starts on old data has finished starting
  // (and a test has set its clock) before anything acts.
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
