// `qala opinion` as an analyst runs it: a child process over the sample question and messages in docs/examples.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ARGS = ['tsx', 'src/cli.ts', 'opinion', '--question', 'docs/examples/opinion/question.yaml', '--input', 'docs/examples/opinion/messages.jsonl'];

describe('qala opinion', () => {
  it('prints the estimate table with raw and weighted shares, n_eff and the caveat', async () => {
    const { stdout } = await run('npx', ARGS, { timeout: 60_000 });
    expect(stdout).toContain('Paid parking in the centre');
    expect(stdout).toContain('24 messages read, 21 about the question');
    expect(stdout).toMatch(/effective n = \d+\.\d+/);
    expect(stdout).toMatch(/^against\s+11\s+52\.4% \[32\.4%, 71\.7%\]/m);
    expect(stdout).toContain('younger');
  }, 90_000);

  it('gives JSON in Kazakh on request and fails plainly on a bad question file', async () => {
    const { stdout } = await run('npx', [...ARGS, '--format', 'json'], { timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.relevant).toBe(21);
    expect(out.estimate.n).toBe(21);
    expect(out.estimate.answers.for.raw.ci).toHaveLength(2);
    expect(out.estimate.caveat.kk).toContain('жасырақ');
    const bad = await run('npx', ['tsx', 'src/cli.ts', 'opinion', '--question', 'docs/examples/opinion/messages.jsonl', '--input', 'x'], {
      timeout: 60_000,
    }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('qala:');
  }, 90_000);
});
