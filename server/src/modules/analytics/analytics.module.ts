import { Module } from '@nestjs/common';
import { AnalyticsMaintenance } from './analytics-maintenance.service.js';
import { AnalyticsMetricsRepository } from './analytics-metrics.repository.js';
import { AnalyticsMetricsService } from './analytics-metrics.service.js';
import { SentimentService } from './sentiment/sentiment.service.js';

/** Reach and public reaction: sentiment and metric storage first (issue 15, decision 0024). */
@Module({
  providers: [SentimentService, AnalyticsMetricsRepository, AnalyticsMetricsService, AnalyticsMaintenance],
  exports: [SentimentService, AnalyticsMetricsService],
})
export class AnalyticsModule {}
