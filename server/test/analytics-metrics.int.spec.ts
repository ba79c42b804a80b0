import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsMetricsService } from '../src/modules/analytics/analytics-metrics.service.js';
import { METRICS, type MetricSnapshot, type MetricValues } from '../src/modules/analytics/analytics.metrics.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// Metric storage: COPY ingest into daily partitions, rollups recomputed idempotently, retention
// that drops raw partitions and keeps rollups, "not available" kept apart from 0, and RLS.

let t: TestApp;
let metrics: AnalyticsMetricsService;
let ministry: { orgId: string; owner: Session };
let missionId: string;
let other: { orgId: string; owner: Session };

beforeAll(async () => {
  t = await startTestApp();
  metrics = t.app.get(AnalyticsMetricsService);
  ministry = await seedRootOrg(t, `Ministry ${randomUUID().slice(0, 6)}`);
  missionId = await createChildOrg(t, ministry.owner, 'Embassy in Kathmandu');
  other = await seedRootOrg(t, `Other ministry ${randomUUID().slice(0, 6)}`);
});
afterAll(async () => t?.close());

const as = (o: { orgId: string; owner: Session }) => ({ orgId: o.orgId, userId: o.owner.userId });
const DAY = 86_400_000;

function values(over: Partial<MetricValues>): MetricValues {
  return { ...(Object.fromEntries(METRICS.map((m) => [m, null])) as MetricValues), ...over };
}

function snapshot(orgId: string, deliveryId: string, capturedAt: Date, over: Partial<MetricValues>): MetricSnapshot {
  return { orgId, channelId: CHANNEL, deliveryId, network: 'mastodon', capturedAt, values: values(over) };
}
const CHANNEL = randomUUID();

/** A fixed day in the partitions' future, so the test does not depend on today's rows. */
const base = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 2, 10));

describe('metric storage', () => {
  it('creates partitions ahead, and creates the day a late or early batch needs', async () => {
    const { created } = await metrics.maintainPartitions(new Date(), 400);
    expect(created).toBeGreaterThanOrEqual(0);
    const days = await metrics.partitionDays();
    const ahead = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10).replace(/-/g, '');
    expect(days).toContain(ahead);
    const delivery = randomUUID();
    await metrics.ingest([snapshot(missionId, delivery, base, { impressions: 1 })]);
    expect(await metrics.partitionDays()).toContain(base.toISOString().slice(0, 10).replace(/-/g, ''));
  });

  it('keeps "not available" (null) apart from 0 through ingest and rollups', async () => {
    const delivery = randomUUID();
    const at = new Date(base.getTime() + 3 * 3_600_000);
    await metrics.ingest([snapshot(missionId, delivery, at, { impressions: 0, reach: 0, reactions: 4 })]);
    await metrics.rollup();
    const [hour] = await metrics.rollupsOf(as(ministry), delivery, 'hour');
    expect(hour).toMatchObject({ impressions: 0, reach: 0, reactions: 4, saves: null, watch_time_seconds: null, points: 1 });
  });

  it('rolls up the latest snapshot of each hour and day, and gives the same rows when run again', async () => {
    const delivery = randomUUID();
    const points = [0, 20, 50, 70, 130].map((min, i) => snapshot(missionId, delivery, new Date(base.getTime() + 5 * 3_600_000 + min * 60_000), { impressions: 100 * (i + 1), shares: i }));
    await metrics.ingest(points);
    await metrics.rollup();
    const first = { hours: await metrics.rollupsOf(as(ministry), delivery, 'hour'), days: await metrics.rollupsOf(as(ministry), delivery, 'day') };
    expect(first.hours.map((h) => [h.points, h.impressions])).toEqual([[3, 300], [1, 400], [1, 500]]);
    expect(first.days.map((d) => [d.points, d.impressions, d.shares])).toEqual([[5, 500, 4]]);
    // A crash after the rollup's work but before its commit leaves the buckets pending: run them again.
    await t.app.get(Transactor).withTenantBypass('test: buckets left pending by a crash', () =>
      sql`INSERT INTO analytics_rollup_pending (org_id, org_path, day)
          SELECT DISTINCT org_id, org_path, (bucket AT TIME ZONE 'UTC')::date FROM analytics_metric_rollups WHERE delivery_id = ${delivery}
          ON CONFLICT DO NOTHING`.execute(t.app.get(Transactor).current()),
    );
    expect(await metrics.rollup()).toBe(1);
    expect({ hours: await metrics.rollupsOf(as(ministry), delivery, 'hour'), days: await metrics.rollupsOf(as(ministry), delivery, 'day') }).toEqual(first);
  });

  it('refuses a negative or fractional count, and stores nothing of that batch', async () => {
    const delivery = randomUUID();
    const good = snapshot(missionId, delivery, base, { impressions: 5 });
    const bad = snapshot(missionId, delivery, base, { impressions: -1 });
    await expect(metrics.ingest([good, bad])).rejects.toMatchObject({ code: 'invalid_snapshot' });
    await expect(metrics.ingest([snapshot(missionId, delivery, base, { reach: 1.5 })])).rejects.toMatchObject({ code: 'invalid_snapshot' });
    await metrics.rollup();
    expect(await metrics.rollupsOf(as(ministry), delivery, 'hour')).toEqual([]);
  });

  it('shows a ministry its missions rolled up, and another ministry nothing', async () => {
    const day = new Date(base.getTime() + 20 * DAY);
    await metrics.ingest([
      snapshot(missionId, randomUUID(), new Date(day.getTime() + 3_600_000), { impressions: 10, reach: 7 }),
      snapshot(ministry.orgId, randomUUID(), new Date(day.getTime() + 7_200_000), { impressions: 5, reach: null }),
      snapshot(other.orgId, randomUUID(), new Date(day.getTime() + 7_200_000), { impressions: 1000 }),
    ]);
    await metrics.rollup();
    const series = await metrics.dailySeries(as(ministry), day, new Date(day.getTime() + DAY));
    expect(series).toEqual([expect.objectContaining({ deliveries: 2, impressions: 15, reach: 7, saves: null })]);
    const theirs = await metrics.dailySeries({ orgId: other.orgId, userId: other.owner.userId }, day, new Date(day.getTime() + DAY));
    expect(theirs).toEqual([expect.objectContaining({ deliveries: 1, impressions: 1000 })]);
    // Asking for the ministry's subtree while acting as the other tenant: RLS hides every row.
    const peek = await t.app.get(Transactor).inTenant({ orgId: other.orgId, userId: other.owner.userId }, () =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM analytics_metric_rollups WHERE org_path @> ARRAY[${ministry.orgId}::uuid]`.execute(t.app.get(Transactor).current()),
    );
    expect(peek.rows[0]?.n).toBe(0);
  });

  it('drops raw partitions past retention and keeps their rollups', async () => {
    const old = new Date(base.getTime() - 400 * DAY);
    const delivery = randomUUID();
    await metrics.ingest([snapshot(missionId, delivery, old, { impressions: 42 })]);
    await metrics.rollup();
    const oldDay = old.toISOString().slice(0, 10).replace(/-/g, '');
    expect(await metrics.partitionDays()).toContain(oldDay);
    const { dropped } = await metrics.maintainPartitions(new Date(old.getTime() + 30 * DAY), 10);
    expect(dropped).toBeGreaterThanOrEqual(1);
    expect(await metrics.partitionDays()).not.toContain(oldDay);
    expect((await metrics.rollupsOf(as(ministry), delivery, 'day')).map((d) => d.impressions)).toEqual([42]);
  });
});
