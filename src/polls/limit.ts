// How many NEW respondents (fresh portal tokens) one network address may bring to one poll in an hour. A token
// lives in the browser, so clearing it or opening a private window makes a "new resident": this cap bounds how far
// one machine can stuff a poll. It is generous because many homes and every mobile operator share one address
// (carrier-grade NAT), and it is per process (a restart forgets it): a brake, not proof of one person, one answer.
export const NEW_PER_ADDRESS_HOUR = 30;
const HOUR = 3_600_000;

export class NewRespondentLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly max = NEW_PER_ADDRESS_HOUR,
    private readonly windowMs = HOUR,
  ) {}

  /** Counts one new respondent for `key` (poll and address) at `now`; false when the hour's allowance is used up. */
  take(key: string, now: number): boolean {
    const recent = (this.seen.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.max) {
      this.seen.set(key, recent);
      return false;
    }
    recent.push(now);
    this.seen.set(key, recent);
    if (this.seen.size > 10_000) this.prune(now);
    return true;
  }

  private prune(now: number) {
    for (const [k, ts] of this.seen) if (!ts.some((t) => now - t < this.windowMs)) this.seen.delete(k);
  }
}
