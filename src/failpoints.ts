// Fault injection for recovery tests: QALA_FAILPOINTS="after-intake=exit" makes the process die at that point,
// as a power cut would, so a test can prove that restarting completes the work. Unset in production.
export type Failpoint = 'after-intake' | 'after-triage';

export function failpoints(spec: string) {
  const active = new Map(
    spec
      .split(',')
      .map((s) => s.trim().split('='))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
  return (name: Failpoint) => {
    if (active.get(name) === 'exit') {
      process.stderr.write(`failpoint ${name}: exiting abruptly\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  };
}
