import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { Config } from '../../platform/config/config.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { AuditService, SEQUENCE_BATCH } from './audit.service.js';

/**
 * Chains committed audit events shortly after commit (decision 0009). Runs in every process
 * that does background work; guddu_audit_sequence's advisory lock lets one chain at a time, so
 * replicas only share the polling. A full batch is followed at once by the next; otherwise it
 * waits `auditSequenceMs`. A crash loses nothing: unchained events wait in the table.
 */
@Injectable()
export class AuditSequencer implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

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
    let next = this.config.auditSequenceMs;
    try {
      const n = await this.audit.chainBatch();
      if (n === SEQUENCE_BATCH) next = 0;
    } catch (err) {
      // The events stay unchained and the next tick tries again; say so rather than stop.
      this.log.warn({ err }, 'audit sequencer: chaining failed');
      next = Math.max(next, 1000);
    }
    this.schedule(next);
  }
}
