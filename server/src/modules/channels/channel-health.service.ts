import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { ChannelNetworks } from './channel-networks.service.js';
import { ChannelTokens } from './channel-tokens.service.js';
import { ChannelsRepository } from './channels.repository.js';
import { ConnectAttemptsRepository } from './connect-attempts.repository.js';

/** The sweep looks this far ahead: anything expiring sooner is refreshed now. */
const SWEEP_AHEAD_MS = 15 * 60_000;
const PAGE = 200;
const ATTEMPT_RETENTION_MS = 24 * 3600_000;

/**
 * Token health: the scheduled refresh of one channel (`channels.refresh`, armed at connect and
 * after each refresh), and a periodic sweep for tokens close to expiry whose job went missing or
 * whose network clock moved (the sandbox's). Runs where background work runs.
 */
@Injectable()
export class ChannelHealth implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly tokens: ChannelTokens,
    private readonly repo: ChannelsRepository,
    private readonly attempts: ConnectAttemptsRepository,
    private readonly networks: ChannelNetworks,
    private readonly tx: Transactor,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => void this.tick(), this.res.config.jobs.sweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  @JobHandler('channels.refresh')
  async refreshJob(p: GudduJobs['channels.refresh']): Promise<void> {
    const row = await this.tx.withTenantBypass('channels: scheduled refresh', () => this.repo.find(p.channelId));
    if (!row || row.status !== 'active' || row.revision !== p.revision) return;
    const outcome = await this.tokens.refresh(p.channelId, { withinMs: 0, force: true });
    // Thrown so the job retries with backoff; a refusal has flagged the channel and is done.
    if (outcome.kind === 'transient') throw new Error(`channel ${p.channelId}: ${outcome.reason}`);
  }

  /** Refreshes every active token expiring within the next quarter hour on its own clock. */
  async sweep(): Promise<{ checked: number; refreshed: number; flagged: number }> {
    const real = new Date(Date.now() + SWEEP_AHEAD_MS);
    const sandbox = new Date(this.networks.now(true) + SWEEP_AHEAD_MS);
    const due = await this.tx.withTenantBypass('channels: token sweep', () => this.repo.expiringBefore(real, sandbox, PAGE));
    let refreshed = 0;
    let flagged = 0;
    for (const { id } of due) {
      const outcome = await this.tokens.refresh(id, { withinMs: SWEEP_AHEAD_MS });
      if (outcome.kind === 'refreshed') refreshed += 1;
      if (outcome.kind === 'unavailable') flagged += 1;
    }
    await this.tx.withTenantBypass('channels: prune connect attempts', () => this.attempts.pruneBefore(new Date(Date.now() - ATTEMPT_RETENTION_MS)));
    if (refreshed || flagged) this.log.info({ checked: due.length, refreshed, flagged }, 'channels: token sweep');
    return { checked: due.length, refreshed, flagged };
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sweep()
      .catch((err: unknown) => this.log.error({ err }, 'channels: token sweep failed; the next one retries'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
