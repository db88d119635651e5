// escalation.yaml is checked at start: a mistake stops the centre with the file and the step named, not at 3 a.m.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCity } from '../config/load.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the Astana configuration with escalation.yaml edited by `edit`. */
function cityWith(edit: (yaml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'qala-escalation-config-'));
  dirs.push(dir);
  cpSync('config/cities/astana', dir, { recursive: true });
  const file = join(dir, 'escalation.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('escalation.yaml at start', () => {
  it('loads the Astana chains: a default and an emergency chain for critical tickets', async () => {
    const city = await loadCity('config/cities/astana');
    expect(Object.keys(city.escalation.chains)).toEqual(['default', 'emergency']);
    expect(city.escalation.overrides).toEqual([{ urgency: 'critical', chain: 'emergency' }]);
    expect(city.escalation.chains.default?.steps.find((s) => s.on === 'no_reaction')).toMatchObject({
      return_to_queue: true,
      after: { working_hours: 4 },
    });
  });

  it('names an unknown watched account, organisation or chain', async () => {
    const dir = cityWith((y) =>
      y
        .replace('officials: [deputy-akim-housing] }', 'officials: [nobody-here] }')
        .replace('return_to_queue: true, notify: [executors, supervisors] }', 'reassign_to: no-such-org, notify: [supervisors] }')
        .replace('chain: emergency }', 'chain: missing }'),
    );
    const err = await loadCity(dir).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('escalation.yaml: default/breach-deputy-akim names unknown watched account nobody-here');
    expect((err as Error).message).toContain('escalation.yaml: default/no-reaction reassigns to unknown organisation no-such-org');
    expect((err as Error).message).toContain('escalation.yaml override 0: unknown chain missing');
  });

  it('refuses a return timer without its time, and a step that does nothing', async () => {
    const noAfter = cityWith((y) => y.replace('on: no_reaction, after: { working_hours: 4 },', 'on: no_reaction,'));
    await expect(loadCity(noAfter)).rejects.toThrow(/a no_reaction step needs `after`/);
    const idle = cityWith((y) => y.replace('{ id: at-risk, on: at_risk, notify: [executors] }', '{ id: at-risk, on: at_risk }'));
    await expect(loadCity(idle)).rejects.toThrow(/a step tells someone or moves the ticket/);
  });
});
