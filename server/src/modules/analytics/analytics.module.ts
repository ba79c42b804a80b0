import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { AnalyticsMaintenance } from './analytics-maintenance.service.js';
import { AnalyticsMetricsRepository } from './analytics-metrics.repository.js';
import { AnalyticsMetricsService } from './analytics-metrics.service.js';
import { ANALYTICS_SNAPSHOT_CONTROLLERS, ANALYTICS_SNAPSHOT_PROVIDERS } from './analytics-snapshots.providers.js';
import { LISTENING_CONTROLLERS, LISTENING_PROVIDERS } from './listening.providers.js';
import { SentimentService } from './sentiment/sentiment.service.js';

/**
 * Reach and public reaction: sentiment and metric storage (issue 15, decision 0024); snapshots,
 * reads and public dashboards (decision 0028); listening (decision 0029).
 */
@Module({
  imports: [PublishingModule, MessagesModule],
  controllers: [...ANALYTICS_SNAPSHOT_CONTROLLERS, ...LISTENING_CONTROLLERS],
  providers: [SentimentService, AnalyticsMetricsRepository, AnalyticsMetricsService, AnalyticsMaintenance, ...ANALYTICS_SNAPSHOT_PROVIDERS, ...LISTENING_PROVIDERS],
  exports: [SentimentService, AnalyticsMetricsService],
})
export class AnalyticsModule {}
