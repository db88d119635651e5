// Telegram's sending limits, kept in this process: about 30 messages a second overall and one a second per chat.
// A chat told to slow down (429 with retry_after) is paused until then. Callers wait for a short gap and give up
// (throw) on a long one, so the outbox relay retries the row later instead of holding a worker.

export class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super(`telegram rate limit: next send possible in ${Math.ceil(waitMs / 1000)} s`);
  }
}

export class SendLimiter {
  private readonly recent: number[] = [];
  private readonly nextPerChat = new Map<string, number>();

  constructor(
    private readonly perSecond = 30,
    private readonly perChatGapMs = 1000,
  ) {}

  /** Waits for a free slot for `chatId`; throws RateLimited when that would take longer than `maxWaitMs`. */
  async acquire(chatId: string, maxWaitMs = 3000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const now = Date.now();
      while (this.recent.length && (this.recent[0] as number) <= now - 1000) this.recent.shift();
      const overall = this.recent.length >= this.perSecond ? (this.recent[0] as number) + 1000 - now : 0;
      const chat = (this.nextPerChat.get(chatId) ?? 0) - now;
      const wait = Math.max(overall, chat, 0);
      if (wait === 0) {
        this.recent.push(now);
        this.nextPerChat.set(chatId, now + this.perChatGapMs);
        if (this.nextPerChat.size > 10_000) this.forgetOld(now);
        return;
      }
      if (now + wait > deadline) throw new RateLimited(wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Telegram answered 429 for this chat: nothing goes to it for `seconds`. */
  pause(chatId: string, seconds: number): void {
    const until = Date.now() + Math.max(1, seconds) * 1000;
    this.nextPerChat.set(chatId, Math.max(until, this.nextPerChat.get(chatId) ?? 0));
  }

  private forgetOld(now: number) {
    for (const [chat, next] of this.nextPerChat) if (next < now) this.nextPerChat.delete(chat);
  }
}
