import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { MessageRelease } from '../messages/message-release.service.js';
import { messageError } from '../messages/messages.errors.js';
import type { Network } from './channel-access.port.js';
import { DeliveriesRepository, type AttemptRow, type DeliveryRow } from './deliveries.repository.js';
import { deliveryError } from './deliveries.errors.js';
import { DeliveryTransitions } from './delivery-transitions.js';
import { labelOf } from './network-names.js';
import { ProviderRegistry } from './providers/providers.registry.js';
import './deliveries.jobs.js';

export interface RetractAnswer {
  delivery: DeliveryRow;
  /** A sentence per network: under way, or why not. */
  detail: string;
}

/** What people do with deliveries: read them, retry a failed one, take a message down. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly messages: MessageRelease,
    private readonly moves: DeliveryTransitions,
    private readonly queue: JobQueue,
    private readonly providers: ProviderRegistry,
  ) {}

  /** Every delivery of a message (all versions, newest first) with its attempts. */
  async forMessage(messageId: string): Promise<{ delivery: DeliveryRow; attempts: AttemptRow[] }[]> {
    if (!(await this.messages.peek(messageId))) throw messageError('message_not_found', 'No such message');
    const rows = await this.repo.forMessage(messageId);
    const attempts = await this.repo.attemptsOf(rows.map((d) => d.id));
    return rows.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.delivery_id === delivery.id) }));
  }

  /** A person retries a failed delivery: the message is publishing again, for this channel. */
  async retry(ctx: RequestContext, id: string): Promise<DeliveryRow> {
    const d = await this.repo.find(id, { lock: true });
    if (!d) throw deliveryError('delivery_not_found', 'No such delivery');
    if (d.state !== 'failed') throw deliveryError('delivery_not_retryable', `A ${d.state} delivery cannot be retried; only a failed one can`, { state: d.state });
    await this.messages.reopenForDelivery(ctx, d.message_id);
    // An unknown outcome stays marked: the next run looks for the post before it sends again.
    const again = await this.moves.move(ctx, d, 'pending', { attempts: 0, failure_class: d.failure_class === 'unknown_outcome' ? 'unknown_outcome' : null, failure_reason: null }, { reason: 'retried by a person' });
    return this.moves.requeue(again, null);
  }

  /**
   * Takes a published message down from every network whose API allows it. Each delivery that
   * is out goes to `retracting` (a job calls the network) or, where the API cannot delete,
   * straight to `retract_failed` saying so.
   */
  async retract(ctx: RequestContext, messageId: string, reason: string): Promise<RetractAnswer[]> {
    const msg = await this.messages.peek(messageId);
    if (!msg) throw messageError('message_not_found', 'No such message');
    const out = (await this.repo.forMessage(messageId)).filter((d) => d.state === 'succeeded' || d.state === 'retract_failed');
    if (out.length === 0) throw deliveryError('message_not_retractable', 'Nothing of this message is published, so there is nothing to take down');
    const answers: RetractAnswer[] = [];
    for (const d of out) {
      const provider = d.network ? this.providers.find(d.network as Network) : undefined;
      if (!provider?.capabilities.retract) {
        const detail = `${labelOf(d.network)} does not allow deletion through its API; remove the post by hand`;
        const row = d.state === 'retract_failed' ? await this.repo.update(d.id, { retract_reason: reason, failure_reason: detail }) : await this.moves.move(ctx, d, 'retract_failed', { retract_reason: reason, failure_reason: detail });
        answers.push({ delivery: row, detail });
        continue;
      }
      const row = await this.moves.move(ctx, d, 'retracting', { retract_reason: reason, failure_reason: null }, { reason });
      this.tx.afterCommit(() => this.queue.enqueue('publishing.retract', { deliveryId: d.id, orgId: d.org_id, correlationId: ctx.correlationId, idempotencyKey: `${d.id}.r${Date.now()}` }));
      answers.push({ delivery: row, detail: `Being taken down from ${labelOf(d.network)}` });
    }
    await this.messages.recordRetraction(ctx, messageId, reason, answers.length);
    return answers;
  }
}
