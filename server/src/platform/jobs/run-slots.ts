/**
 * At most `size` jobs run their handler at once; the others wait their turn, first come first
 * served. BullMQ's own concurrency cannot be the bound: the worker raises it by one for each job
 * it holds ahead of its instant (so it keeps taking work while it holds), and a burst released
 * together would otherwise start all at once, whatever GUDDU_JOB_CONCURRENCY says.
 */
export class RunSlots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`run slots: size must be a positive integer, got ${size}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Handlers running now. */
  inUse(): number {
    return this.used;
  }

  /** Jobs waiting for a slot. */
  queued(): number {
    return this.waiting.length;
  }

  private async acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used += 1;
      return;
    }
    // The slot is handed over by release(), so `used` stays counted for the next holder.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used -= 1;
  }
}
