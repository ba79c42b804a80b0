import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { Config } from '../../platform/config/config.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { AuditService, SEQUENCE_BATCH } from './audit.service.js';

/**
 * Chains committed audit events shortly after commit (decision 0009). Runs in every process
 * that does background work; guddu_audit_sequence's advisory lock lets one chain at a time, so
 * replicas only share the polling. A full batch is followed at once by the next, one that
 * chained something by another after BUSY_MS; while there is nothing to chain the wait doubles
 * up to `auditSequenceMs`, so an idle server does not poll ten times a second (each tick is a
 * transaction). A crash loses nothing: unchained events wait in the table.
 */
/** The wait after a batch that chained something: events are arriving, more will follow. */
const BUSY_MS = 50;

@Injectable()
export class AuditSequencer implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private idleMs = BUSY_MS;

  constructor(
    private readonly audit: AuditService,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let next: number;
    try {
      const n = await this.audit.chainBatch();
      if (n > 0) this.idleMs = BUSY_MS;
      else this.idleMs = Math.min(this.idleMs * 2, Math.max(this.config.auditSequenceMs, BUSY_MS));
      next = n === SEQUENCE_BATCH ? 0 : n > 0 ? BUSY_MS : this.idleMs;
    } catch (err) {
      // The events stay unchained and the next tick tries again; say so rather than stop.
      this.log.warn({ err }, 'audit sequencer: chaining failed');
      next = Math.max(this.config.auditSequenceMs, 1000);
    }
    this.schedule(next);
  }
}
