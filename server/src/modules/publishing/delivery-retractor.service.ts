import { Inject, Injectable } from '@nestjs/common';
import { systemContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { AppError } from '../../platform/errors/app-error.js';
import { jobOptionsOf } from '../../platform/jobs/job-catalog.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs, JobContext } from '../../platform/jobs/jobs.types.js';
import { CHANNEL_ACCESS, type ChannelAccessPort, type Network } from './channel-access.port.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryCalls } from './delivery-calls.js';
import { DeliveryTransitions } from './delivery-transitions.js';
import { labelOf } from './network-names.js';
import { ProviderError } from './providers/provider.js';
import { ProviderRegistry } from './providers/providers.registry.js';
import './deliveries.jobs.js';

/** Errors after which asking again will not help: the delivery records why. */
const FINAL = new Set(['revoked', 'permission', 'validation', 'auth_expired']);

/** Takes one published post down: under the delivery's lease, one attempt recorded per call. */
@Injectable()
export class DeliveryRetractor {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly moves: DeliveryTransitions,
    private readonly calls: DeliveryCalls,
    @Inject(CHANNEL_ACCESS) private readonly channels: ChannelAccessPort,
    private readonly providers: ProviderRegistry,
  ) {}

  @JobHandler('publishing.retract')
  async retract(p: GudduJobs['publishing.retract'], job: JobContext): Promise<void> {
    const lastTry = job.attempt >= jobOptionsOf('publishing.retract').attempts;
    await this.calls.bounded(() =>
      this.tx.withTenantBypass('publishing: a post is taken down', async () => {
        if (!(await this.repo.tryLease(p.deliveryId))) throw new Error('delivery is busy; retract retries');
        const d = await this.repo.find(p.deliveryId);
        if (!d || d.state !== 'retracting' || !d.external_id) return;
        const ctx = systemContext('publishing.retract', d.org_id, p.correlationId);
        const provider = d.network ? this.providers.find(d.network as Network) : undefined;
        if (!provider) return void (await this.moves.move(ctx, d, 'retract_failed', { failure_reason: `Guddu cannot reach ${labelOf(d.network)} on this server` }));
        const attempt = await this.tx.withTenantBypass('publishing: a retract attempt starts', () => this.repo.startAttempt({ id: d.id, orgId: d.org_id }, 'retract'));
        try {
          const creds = await this.channels.credentialsFor(d.channel_id);
          const call = this.calls.callFor(creds);
          await provider.retract(call.call, d.external_id);
          await call.flush();
          await this.repo.endAttempt(attempt.id, { outcome: 'succeeded' });
          await this.moves.move(ctx, d, 'retracted', { failure_reason: null });
        } catch (err) {
          const pe = err instanceof ProviderError ? err : undefined;
          const unusable = err instanceof AppError && err.status < 500;
          await this.tx.withTenantBypass('publishing: a retract attempt ends', () =>
            this.repo.endAttempt(attempt.id, { outcome: 'failed', errorClass: pe?.kind ?? (unusable ? 'channel_unavailable' : 'internal'), httpStatus: pe?.details.httpStatus ?? null, vendorCode: pe?.details.vendorCode ?? null, detail: (err as Error).message }),
          );
          if ((pe && FINAL.has(pe.kind)) || unusable || lastTry) {
            await this.moves.move(ctx, d, 'retract_failed', { failure_reason: pe?.message ?? (unusable ? `The channel cannot be used: ${(err as Error).message}` : `${labelOf(d.network)} could not be reached; try again later`) });
            return;
          }
          throw err;
        }
      }),
    );
  }
}
