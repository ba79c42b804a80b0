import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { analyticsError } from './analytics.errors.js';
import { METRICS, type MetricSnapshot, type RollupGrain } from './analytics.metrics.js';
import { AnalyticsMetricsRepository, type DailySeriesRow } from './analytics-metrics.repository.js';

const DAY_MS = 86_400_000;
/** Raw partitions kept ahead of today: a day's snapshots never wait for a partition. */
export const PARTITION_DAYS_AHEAD = 7;
const ROLLUP_BATCH = 200;

/** Metric storage (decision 0024): COPY ingest, rollups kept current, partitions and retention. */
@Injectable()
export class AnalyticsMetricsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: AnalyticsMetricsRepository,
  ) {}

  /**
   * One batch of snapshots: (1) checks every value (a count is a non-negative integer or null,
   * "not available"); (2) finds each organisation's path; (3) makes sure the days' partitions
   * exist; (4) COPYs the rows; (5) marks their days for rollup. One transaction: a
   * batch is stored whole or not at all.
   */
  async ingest(points: readonly MetricSnapshot[]): Promise<number> {
    if (points.length === 0) return 0;
    let first = Infinity;
    let last = -Infinity;
    for (const p of points) {
      assertSnapshot(p);
      const t = p.capturedAt.getTime();
      if (t < first) first = t;
      if (t > last) last = t;
    }
    return this.tx.withTenantBypass('analytics: snapshots are taken by the system for every organisation', async () => {
      const orgs = [...new Set(points.map((p) => p.orgId))];
      const paths = await this.repo.orgPaths(orgs);
      const unknown = orgs.find((o) => !paths.has(o));
      if (unknown) throw analyticsError('unknown_organisation', 'A snapshot names an organisation that does not exist', { orgId: unknown });
      const firstDay = new Date(Math.floor(first / DAY_MS) * DAY_MS);
      await this.repo.ensurePartitions(firstDay, Math.floor(last / DAY_MS) - Math.floor(first / DAY_MS) + 1);
      await this.repo.copyPoints(points, paths);
      await this.repo.markPending(pendingDays(points), paths);
      return points.length;
    });
  }

  /** Rolls up every pending bucket; safe to run anywhere, any number of times. */
  async rollup(): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.tx.withTenantBypass('analytics: rollups span every organisation', () => this.repo.rollupPending(ROLLUP_BATCH));
      total += done;
      if (done < ROLLUP_BATCH) return total;
    }
  }

  /** Creates the partitions for the days ahead and drops raw ones older than the retention. */
  async maintainPartitions(now: Date, retentionDays: number): Promise<{ created: number; dropped: number }> {
    return this.tx.withTenantBypass('analytics: partitions are shared by every organisation', async () => {
      const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
      const created = await this.repo.ensurePartitions(today, PARTITION_DAYS_AHEAD + 1);
      const dropped = await this.repo.dropPartitionsBefore(new Date(today.getTime() - retentionDays * DAY_MS));
      return { created, dropped };
    });
  }

  partitionDays(): Promise<string[]> {
    return this.tx.withTenantBypass('analytics: listing partitions', () => this.repo.partitionDays());
  }

  /** The organisation's subtree per day, as `as` sees it (row-level security applies). */
  dailySeries(as: { orgId: string; userId: string }, from: Date, to: Date): Promise<DailySeriesRow[]> {
    return this.tx.inTenant(as, () => this.repo.dailySeries(as.orgId, from, to));
  }

  rollupsOf(as: { orgId: string; userId: string }, deliveryId: string, grain: RollupGrain) {
    return this.tx.inTenant(as, () => this.repo.rollupsOf(deliveryId, grain));
  }
}

function assertSnapshot(p: MetricSnapshot): void {
  if (Number.isNaN(p.capturedAt.getTime())) throw analyticsError('invalid_snapshot', 'capturedAt is not a time');
  for (const m of METRICS) {
    const v = p.values[m];
    if (v !== null && !(Number.isSafeInteger(v) && v >= 0)) throw analyticsError('invalid_snapshot', `${m} must be a non-negative integer or null`, { metric: m });
  }
}

function pendingDays(points: readonly MetricSnapshot[]): Array<{ orgId: string; day: string }> {
  const seen = new Map<string, { orgId: string; day: string }>();
  for (const p of points) {
    const day = new Date(Math.floor(p.capturedAt.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const key = `${p.orgId}|${day}`;
    if (!seen.has(key)) seen.set(key, { orgId: p.orgId, day });
  }
  return [...seen.values()];
}
