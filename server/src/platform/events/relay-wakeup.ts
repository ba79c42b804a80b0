import pg from 'pg';
import type { Logger } from '../logging/logger.js';

export const OUTBOX_CHANNEL = 'guddu_outbox';

/**
 * Lets the relay's lanes sleep until events commit: a dedicated connection LISTENs on the channel
 * the outbox trigger NOTIFYs at commit. Each notification wakes one sleeping lane (the others stay
 * asleep, so one commit costs one round, not one per lane); one that comes while every lane is
 * busy is kept for the first lane to finish. Lanes also wake on a timer, so a dropped connection
 * (re-opened here in the background) only costs latency, never an event.
 */
export class RelayWakeup {
  private client: pg.Client | undefined;
  private pending = false;
  private readonly sleepers: (() => void)[] = [];
  private stopped = false;
  private reconnect: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.listen();
  }

  /** Resolves on a notification (or one that came while no lane slept), or after `ms`. */
  async wait(ms: number): Promise<void> {
    if (this.pending || this.stopped) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const i = this.sleepers.indexOf(done);
        if (i >= 0) this.sleepers.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.push(done);
    });
  }

  /** Wakes the lane that has slept longest, or, when none sleeps, the next one to wait. */
  interrupt(): void {
    const sleeper = this.sleepers[0];
    if (sleeper) sleeper();
    else this.pending = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    for (const sleeper of [...this.sleepers]) sleeper();
    await this.client?.end().catch((err: unknown) => this.log.debug({ err }, 'closing the outbox listener'));
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.interrupt());
    client.on('error', (err) => {
      if (this.stopped) return;
      this.log.warn({ err }, 'outbox listener connection lost; polling until it is back');
      this.retry(client);
    });
    client.on('end', () => {
      if (!this.stopped && this.client === client) this.retry(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.client = client;
      if (this.stopped) await client.end();
    } catch (err) {
      if (!this.stopped) this.log.warn({ err }, 'cannot listen for outbox commits; polling');
      this.retry(client);
    }
  }

  private retry(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch((err: unknown) => this.log.debug({ err }, 'closing a broken outbox listener'));
    if (this.stopped || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.listen();
    }, 2000);
    this.reconnect.unref();
  }
}
