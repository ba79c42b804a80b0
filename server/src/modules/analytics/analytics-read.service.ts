import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { messageError } from '../messages/messages.errors.js';
import { MessageRelease } from '../messages/message-release.service.js';
import { METRICS, type MetricValues } from './analytics.metrics.js';
import type { PeriodView, SeriesQuery, SeriesView } from './analytics-read.dto.js';
import { AnalyticsReadRepository, type BucketRow, type ReadScope } from './analytics-read.repository.js';

const DAY_MS = 86_400_000;
type Query = z.output<typeof SeriesQuery>;
type Period = z.infer<typeof PeriodView>;

/**
 * The read API over stored snapshots (decision 0028): per message (all its deliveries), per
 * channel, per organisation with its subtree rolled up, per campaign; buckets cut in a zone;
 * optionally the previous period of the same length and the change. Runs in the request's
 * tenant transaction: row-level security decides what is summed.
 */
@Injectable()
export class AnalyticsRead {
  constructor(
    private readonly repo: AnalyticsReadRepository,
    private readonly messages: MessageRelease,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
  ) {}

  async series(scope: ReadScope, q: Query): Promise<z.infer<typeof SeriesView>> {
    if (scope.kind === 'message' && !(await this.messages.peek(scope.id))) throw messageError('message_not_found', 'No such message');
    const from = new Date(q.from);
    const to = new Date(q.to);
    const current = await this.period(scope, from, to, q);
    if (!q.compare) return { scope, zone: q.zone, bucket: q.bucket, current, previous: null, change: null };
    const length = to.getTime() - from.getTime();
    const previous = await this.period(scope, new Date(from.getTime() - length), from, q);
    return { scope, zone: q.zone, bucket: q.bucket, current, previous, change: difference(current.totals, previous.totals) };
  }

  private async period(scope: ReadScope, from: Date, to: Date, q: Query): Promise<Period> {
    // Raw snapshots are exact; once retention has dropped them, the hourly rollups stand in.
    const fromRollups = from.getTime() < Date.now() - this.res.config.analytics.rawRetentionDays * DAY_MS;
    const series = await this.repo.buckets(scope, from, to, q.bucket, q.zone, fromRollups);
    const [whole] = await this.repo.buckets(scope, from, to, null, q.zone, fromRollups);
    return { from: from.toISOString(), to: to.toISOString(), totals: metricsOf(whole), posts: whole?.posts ?? 0, series: series.map((b) => ({ bucket: b.bucket.toISOString(), posts: b.posts, ...metricsOf(b) })) };
  }
}

function metricsOf(row: BucketRow | undefined): MetricValues {
  const out = {} as MetricValues;
  for (const m of METRICS) out[m] = row?.[m] ?? null;
  return out;
}

function difference(a: MetricValues, b: MetricValues): MetricValues {
  const out = {} as MetricValues;
  for (const m of METRICS) {
    const x = a[m];
    const y = b[m];
    out[m] = x === null || y === null ? null : x - y;
  }
  return out;
}
