import { Module } from '@nestjs/common';
import { PublishingModule } from '../publishing/publishing.module.js';
import { AnalyticsMaintenance } from './analytics-maintenance.service.js';
import { AnalyticsMetricsRepository } from './analytics-metrics.repository.js';
import { AnalyticsMetricsService } from './analytics-metrics.service.js';
import { LISTENING_CONTROLLERS, LISTENING_PROVIDERS } from './listening.providers.js';
import { SentimentService } from './sentiment/sentiment.service.js';

/** Reach and public reaction: sentiment and metric storage first (issue 15, decision 0024); listening (decision 0029). */
@Module({
  imports: [PublishingModule],
  controllers: [...LISTENING_CONTROLLERS],
  providers: [SentimentService, AnalyticsMetricsRepository, AnalyticsMetricsService, AnalyticsMaintenance, ...LISTENING_PROVIDERS],
  exports: [SentimentService, AnalyticsMetricsService],
})
export class AnalyticsModule {}
