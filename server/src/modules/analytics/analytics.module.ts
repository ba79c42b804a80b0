import { Module } from '@nestjs/common';
import { SentimentService } from './sentiment/sentiment.service.js';

/** Reach and public reaction: sentiment first (issue 15, decision 0024). */
@Module({
  providers: [SentimentService],
  exports: [SentimentService],
})
export class AnalyticsModule {}
