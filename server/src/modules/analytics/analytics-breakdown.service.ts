import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { METRICS, type MetricValues } from './analytics.metrics.js';
import type { BreakdownQuery, BreakdownView } from './analytics-breakdown.dto.js';
import { AnalyticsBreakdownRepository } from './analytics-breakdown.repository.js';

const DAY_MS = 86_400_000;
type Counts = Record<'positive' | 'negative' | 'neutral' | 'unsupported', number>;

/**
 * What the organisation dashboard shows beside its totals: per network, per message, and the
 * public's sentiment over the same range (issue 15: reach and reaction side by side).
 */
@Injectable()
export class AnalyticsBreakdown {
  constructor(
    private readonly repo: AnalyticsBreakdownRepository,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
  ) {}

  async organisation(orgId: string, q: z.output<typeof BreakdownQuery>): Promise<z.infer<typeof BreakdownView>> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    // As the read API: raw snapshots while kept, the hourly rollups once retention dropped them.
    const fromRollups = from.getTime() < Date.now() - this.res.config.analytics.rawRetentionDays * DAY_MS;
    const networks = await this.repo.byNetwork(orgId, from, to, fromRollups);
    const messages = await this.repo.byMessage(orgId, from, to, fromRollups, q.limit);
    const sentiment = await this.repo.sentimentBuckets(orgId, from, to, q.bucket, q.zone);
    const series = new Map<string, Counts>();
    const totals = zero();
    for (const row of sentiment) {
      const key = row.bucket.toISOString();
      const counts = series.get(key) ?? zero();
      const s = row.sentiment as keyof Counts;
      counts[s] += row.n;
      totals[s] += row.n;
      series.set(key, counts);
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      zone: q.zone,
      bucket: q.bucket,
      networks: networks.map((n) => ({ network: n.network, posts: n.posts, ...metricsOf(n) })),
      messages: messages.map((m) => ({ messageId: m.message_id, title: m.title, posts: m.posts, ...metricsOf(m) })),
      sentiment: { totals, series: [...series].map(([bucket, counts]) => ({ bucket, ...counts })) },
    };
  }
}

function zero(): Counts {
  return { positive: 0, negative: 0, neutral: 0, unsupported: 0 };
}

function metricsOf(row: MetricValues): MetricValues {
  const out = {} as MetricValues;
  for (const m of METRICS) out[m] = row[m] ?? null;
  return out;
}
