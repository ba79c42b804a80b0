import { Injectable } from '@nestjs/common';
import { systemContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { MessageRelease } from '../messages/message-release.service.js';
import { DeliveriesRepository, type DeliveryRow } from './deliveries.repository.js';
import { messageOutcome } from './delivery-state.js';

/**
 * When a delivery settles, the message may be finished: published, partially published or
 * failed once every delivery of its version is settled. The message row lock (in
 * MessageRelease.settle) serialises settlements, so the last delivery to settle moves it, once.
 */
@Injectable()
export class DeliverySettlement {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly messages: MessageRelease,
  ) {}

  async settle(d: Pick<DeliveryRow, 'message_id' | 'version' | 'org_id'>): Promise<void> {
    await this.tx.withTenantBypass('publishing: a message whose deliveries settled', async () => {
      const msg = await this.messages.peek(d.message_id);
      if (!msg || msg.status !== 'publishing' || msg.version !== d.version) return;
      const states = await this.repo.statesOf(d.message_id, d.version);
      if (!messageOutcome(states)) return;
      const failed = states.filter((s) => s === 'failed' || s === 'cancelled').length;
      await this.messages.settle(systemContext('publishing.settle', d.org_id, `message:${d.message_id}`), d.message_id, d.version, { succeeded: states.length - failed, failed });
    });
  }
}
