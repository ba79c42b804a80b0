import { Inject, Injectable } from '@nestjs/common';
import { systemContext, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { OnEvent } from '../../platform/events/on-event.decorator.js';
import type { EventEnvelope } from '../../platform/events/events.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { MessageRelease } from '../messages/message-release.service.js';
import { METRIC_READS, NetworkReadError, type MetricReadsPort } from '../publishing/metric-reads.port.js';
import { AnalyticsMetricsService } from './analytics-metrics.service.js';
import type { MetricSnapshot } from './analytics.metrics.js';
import { AnalyticsSnapshotsRepository, type PlanRow } from './analytics-snapshots.repository.js';
import { ACCOUNT_EVERY_MS, failureBackoffMs, nextRead, type ScheduleOptions } from './analytics-snapshots.schedule.js';
import { metricReaderFor } from './metric-readers/metric-readers.js';
import './analytics-snapshots.events.js';

const BATCH = 100;
/** A claimed row is this worker's for this long; a worker that dies lets it go after. */
const LEASE_MS = 5 * 60_000;
/** Reads in flight at once per worker: the rate limiter decides how fast, this how many sockets. */
const PARALLEL = 4;
/** A read refused this many times in a row (the channel needs a person) stops being tried. */
const MAX_FAILURES = 20;

type Outcome =
  | { row: PlanRow; ok: true; snapshot: MetricSnapshot; story: boolean }
  | { row: PlanRow; ok: false; error: NetworkReadError };

/**
 * Takes Guddu's own snapshots (issue 15, decision 0028): every published delivery joins a durable
 * schedule (analytics_snapshot_plan), each channel's followers are read daily, and a sweep reads
 * what is due through METRIC_READS (publishing's rate limiter; 429 backs off until the reset)
 * and stores the figures through the COPY ingest. Each batch emits `analytics.snapshots_recorded`
 * per organisation, which the realtime gateway relays to open dashboards.
 */
@Injectable()
export class AnalyticsSnapshots {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: AnalyticsSnapshotsRepository,
    private readonly metrics: AnalyticsMetricsService,
    private readonly events: EventOutbox,
    private readonly messages: MessageRelease,
    @Inject(METRIC_READS) private readonly reads: MetricReadsPort,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @OnEvent('publishing.delivery_succeeded', 'analytics.plan-snapshots')
  async onPublished(event: EventEnvelope<'publishing.delivery_succeeded'>): Promise<void> {
    const p = event.payload;
    if (!metricReaderFor(p.network)) return;
    const message = await this.messages.peek(p.messageId);
    const publishedAt = new Date(event.occurredAt);
    const first = nextRead(publishedAt, publishedAt, this.options(p.network, false), 0);
    await this.tx.withTenantBypass('analytics: the snapshot schedule is system work', async () => {
      await this.repo.planPost({ orgId: event.orgId, channelId: p.channelId, network: p.network, deliveryId: p.deliveryId, messageId: p.messageId, campaignId: message?.campaign_id ?? null, externalId: p.externalId, publishedAt, nextAt: first?.at ?? publishedAt });
      // Followers are the channel's, whichever organisation publishes through it: the owner's.
      await this.repo.planAccount({ orgId: event.orgId, channelId: p.channelId, network: p.network, nextAt: publishedAt });
    });
  }

  @OnEvent('channels.connected', 'analytics.plan-account')
  async onConnected(event: EventEnvelope<'channels.connected'>): Promise<void> {
    const p = event.payload;
    if (!metricReaderFor(p.network)) return;
    await this.tx.withTenantBypass('analytics: the snapshot schedule is system work', () => this.repo.planAccount({ orgId: p.organisationId, channelId: p.channelId, network: p.network, nextAt: new Date(event.occurredAt) }));
  }

  /**
   * Reads everything due at `now` (tests pass the simulators' clock), batch by batch. Returns
   * the points stored. Figures go in through the COPY path in one batch; the schedule moves on
   * after they are stored, so a crash between re-reads a post once (rollups keep the latest).
   */
  async sweep(now: Date = new Date()): Promise<number> {
    let stored = 0;
    for (;;) {
      const due = await this.tx.withTenantBypass('analytics: claiming due snapshots', () => this.repo.claimDue(now, new Date(Date.now() + LEASE_MS), BATCH));
      if (due.length === 0) return stored;
      const outcomes: Outcome[] = [];
      for (let i = 0; i < due.length; i += PARALLEL) outcomes.push(...(await Promise.all(due.slice(i, i + PARALLEL).map((row) => this.readOne(row, now)))));
      const read = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
      if (read.length > 0) await this.metrics.ingest(read.map((o) => o.snapshot));
      await this.tx.withTenantBypass('analytics: advancing the snapshot schedule', async () => {
        for (const o of outcomes) await this.settle(o, now);
        await this.announce(read, now);
      });
      stored += read.length;
      if (due.length < BATCH) return stored;
    }
  }

  private async readOne(row: PlanRow, now: Date): Promise<Outcome> {
    const reader = metricReaderFor(row.network);
    if (!reader) return { row, ok: false, error: new NetworkReadError('unavailable', `Guddu reads no metrics from ${row.network}`) };
    try {
      if (row.kind === 'account') {
        const values = await this.reads.read(row.channel_id, (call) => reader.readAccount(call));
        return { row, ok: true, story: false, snapshot: { orgId: row.org_id, channelId: row.channel_id, deliveryId: null, network: row.network, capturedAt: now, values } };
      }
      const post = { externalId: row.external_id as string, publishedAt: row.published_at as Date };
      const got = await this.reads.read(row.channel_id, (call) => reader.readPost(call, post, now));
      return { row, ok: true, story: got.story === true, snapshot: { orgId: row.org_id, channelId: row.channel_id, deliveryId: row.delivery_id, network: row.network, capturedAt: now, values: got.values } };
    } catch (err) {
      if (err instanceof NetworkReadError) return { row, ok: false, error: err };
      this.log.error({ err, planId: row.id }, 'analytics: a metric read failed unexpectedly');
      return { row, ok: false, error: new NetworkReadError('transient', err instanceof Error ? err.message : 'unexpected failure') };
    }
  }

  private async settle(o: Outcome, now: Date): Promise<void> {
    const { row } = o;
    if (o.ok) {
      if (row.kind === 'account') return this.repo.advance(row.id, { step: row.step + 1, at: new Date(now.getTime() + ACCOUNT_EVERY_MS) }, now, false);
      const next = nextRead(row.published_at as Date, now, this.options(row.network, o.story), row.step + 1);
      return this.repo.advance(row.id, next, now, o.story);
    }
    const { error } = o;
    switch (error.kind) {
      case 'rate_limited':
        // Not a failure: wait for the reset the network named, then read.
        return this.repo.postpone(row.id, error.retryAt ?? new Date(now.getTime() + failureBackoffMs(0)), row.failures, error.message);
      case 'gone':
        return this.repo.finish(row.id, now, error.message);
      case 'auth_expired':
      case 'unavailable':
      case 'transient': {
        const failures = row.failures + 1;
        if (failures >= MAX_FAILURES) return this.repo.finish(row.id, now, error.message);
        return this.repo.postpone(row.id, new Date(now.getTime() + failureBackoffMs(failures)), failures, error.message);
      }
    }
  }

  private async announce(read: ReadonlyArray<Extract<Outcome, { ok: true }>>, now: Date): Promise<void> {
    const byOrg = new Map<string, Array<Extract<Outcome, { ok: true }>>>();
    for (const o of read) byOrg.set(o.row.org_id, [...(byOrg.get(o.row.org_id) ?? []), o]);
    for (const [orgId, list] of byOrg) {
      const ctx: RequestContext = systemContext('analytics-snapshots', orgId);
      await this.events.emit(
        ctx,
        'analytics.snapshots_recorded',
        {
          organisationId: orgId,
          points: list.length,
          channelIds: [...new Set(list.map((o) => o.row.channel_id))],
          deliveryIds: list.map((o) => o.row.delivery_id).filter((d): d is string => d !== null),
          capturedAt: now.toISOString(),
        },
        { aggregateType: 'organisation', aggregateId: orgId, orgId },
      );
    }
  }

  private options(network: string, story: boolean): ScheduleOptions {
    return { network, story, cadenceDays: this.res.config.analytics.snapshotCadenceDays, horizonDays: this.res.config.analytics.rawRetentionDays };
  }

  planOf(deliveryId: string): Promise<PlanRow | undefined> {
    return this.tx.withTenantBypass('analytics: reading the snapshot schedule', () => this.repo.planOf(deliveryId));
  }
}
