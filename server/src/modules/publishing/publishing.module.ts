import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module.js';
import { METRIC_READS } from './metric-reads.port.js';
import { MetricReads } from './metric-reads.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveriesService } from './deliveries.service.js';
import { DeliveryCalls } from './delivery-calls.js';
import { DeliveryPlanner } from './delivery-planner.service.js';
import { DeliveryRetractor } from './delivery-retractor.service.js';
import { DeliveryRunner } from './delivery-runner.service.js';
import { DeliverySettlement } from './delivery-settlement.js';
import { DeliverySweep } from './delivery-sweep.js';
import { DeliveryTransitions } from './delivery-transitions.js';
import { NETWORK_READS } from './network-reads.port.js';
import { NetworkReadsRepository } from './network-reads.repository.js';
import { NetworkReads } from './network-reads.service.js';
import { PublishingGate } from './publishing-gate.service.js';
import { PublishingControlController } from './publishing.controller.js';
import { PublishingRepository } from './publishing.repository.js';
import { PublishingService } from './publishing.service.js';
import { ProviderRegistry } from './providers/providers.registry.js';
import { RateLimits } from './rate-limits.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

/**
 * May it go out, and when: the gate, crisis suspend and resume, blackout days (decision 0010);
 * then out it goes: deliveries, exactly once (decision 0018).
 */
@Module({
  imports: [MessagesModule],
  controllers: [PublishingControlController, DeliveriesController],
  providers: [
    PublishingRepository,
    PublishingService,
    PublishingGate,
    DeliveriesRepository,
    DeliveryTransitions,
    DeliveryCalls,
    DeliverySettlement,
    DeliverySweep,
    DeliveryPlanner,
    DeliveryRunner,
    DeliveryRetractor,
    DeliveriesService,
    RateLimits,
    RateLimitsRepository,
    ProviderRegistry,
    NetworkReadsRepository,
    NetworkReads,
    { provide: NETWORK_READS, useExisting: NetworkReads },
    { provide: METRIC_READS, useClass: MetricReads },
  ],
  exports: [PublishingService, DeliveryCalls, NETWORK_READS, METRIC_READS],
})
export class PublishingModule {}
