import { Injectable } from '@nestjs/common';
import { systemContext, userOf, orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import { listeningError } from './listening.errors.js';
import { ListeningRepository } from './listening.repository.js';
import { BASELINE_HOURS, DEFAULT_SPIKE_SETTINGS, detectSpikes, topTerms, type HourBucket, type SpikeSettings } from './spikes.js';
import type { SpikeEvidence } from './listening.tables.js';
import './listening.events.js';

const HOUR_MS = 3_600_000;
const SAMPLES = 5;

/**
 * Spike alerts (decision 0029): each sweep compares every (organisation, message) group's last
 * hour with the 12 before it; an alert is stored once per episode with its evidence, audited,
 * and emitted as `analytics.spike_detected` in the same transaction (the outbox), so a stored
 * alert is always announced and an announced one always stored.
 */
@Injectable()
export class SpikesService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: ListeningRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  /** Returns the ids of the alerts raised by this run (none when every spike was already known). */
  async evaluate(now = new Date()): Promise<string[]> {
    return this.tx.withTenantBypass('listening: spikes are looked for across every organisation', async () => {
      const counts = await this.repo.hourCounts(now);
      const groups = new Map<string, { orgId: string; messageId: string | null; hours: HourBucket[] }>();
      for (const c of counts) {
        if (c.hour < 0 || c.hour > BASELINE_HOURS) continue;
        const key = `${c.org_id}|${c.message_id ?? ''}`;
        const g = groups.get(key) ?? { orgId: c.org_id, messageId: c.message_id, hours: [] };
        g.hours[c.hour] = { total: c.total, negative: c.negative, scored: c.scored };
        groups.set(key, g);
      }
      // Only groups with a busy last hour can fire: their settings and evidence are all that is read.
      const candidates = [...groups.values()].filter((g) => (g.hours[0]?.total ?? 0) > 0);
      const settings = new Map((await this.repo.settingsOf([...new Set(candidates.map((g) => g.orgId))])).map((s) => [s.org_id, { k: s.spike_k, negativeJump: s.negative_jump, minComments: s.min_comments } satisfies SpikeSettings]));
      const windowStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
      const raised: string[] = [];
      for (const g of candidates) {
        const found = detectSpikes(g.hours, settings.get(g.orgId) ?? DEFAULT_SPIKE_SETTINGS);
        if (found.length === 0) continue;
        const recent = await this.repo.lastHour(g.orgId, g.messageId, now);
        for (const d of found) {
          const evidence = evidenceOf(recent, g.hours, d.kind);
          const alert = await this.repo.raiseAlert({ orgId: g.orgId, messageId: g.messageId, kind: d.kind, severity: d.severity, windowStart, observed: d.observed, baseline: d.baseline, threshold: d.threshold, evidence });
          if (!alert) continue;
          const ctx = systemContext('analytics.listening', g.orgId);
          await this.audit.record(ctx, { action: 'listening.spike_raised', targetType: 'spike_alert', targetId: alert.id, after: { kind: d.kind, severity: d.severity, messageId: g.messageId, observed: d.observed, baseline: d.baseline, threshold: d.threshold } });
          await this.events.emit(
            ctx,
            'analytics.spike_detected',
            { alertId: alert.id, organisationId: g.orgId, messageId: g.messageId, kind: d.kind, severity: d.severity, observed: d.observed, baseline: d.baseline, threshold: d.threshold, windowStart: windowStart.toISOString() },
            { aggregateType: 'spike_alert', aggregateId: alert.id },
          );
          raised.push(alert.id);
        }
      }
      return raised;
    });
  }

  list(ctx: RequestContext, p: { limit: number; messageId?: string; open?: boolean }) {
    return this.repo.listAlerts(orgOf(ctx), p);
  }

  async get(id: string) {
    const alert = await this.repo.alert(id);
    if (!alert) throw listeningError('spike_alert_not_found', 'No such spike alert here');
    return alert;
  }

  async acknowledge(ctx: RequestContext, id: string) {
    const before = await this.get(id);
    if (before.acknowledged_at) throw listeningError('spike_alert_acknowledged', 'This alert was acknowledged already');
    const after = await this.repo.acknowledge(id, userOf(ctx).id);
    if (!after) throw listeningError('spike_alert_acknowledged', 'This alert was acknowledged already');
    await this.audit.record(ctx, { action: 'listening.spike_acknowledged', targetType: 'spike_alert', targetId: id, after: { orgId: after.org_id, acknowledgedAt: after.acknowledged_at } });
    return after;
  }

  async settings(ctx: RequestContext): Promise<SpikeSettings> {
    const [s] = await this.repo.settingsOf([orgOf(ctx)]);
    return s ? { k: s.spike_k, negativeJump: s.negative_jump, minComments: s.min_comments } : DEFAULT_SPIKE_SETTINGS;
  }

  async updateSettings(ctx: RequestContext, s: SpikeSettings): Promise<SpikeSettings> {
    const before = await this.settings(ctx);
    const row = await this.repo.upsertSettings(orgOf(ctx), { spikeK: s.k, negativeJump: s.negativeJump, minComments: s.minComments });
    const after = { k: row.spike_k, negativeJump: row.negative_jump, minComments: row.min_comments };
    await this.audit.record(ctx, { action: 'listening.spike_settings_changed', targetType: 'organisation', targetId: orgOf(ctx), before, after });
    return after;
  }
}

type Recent = Awaited<ReturnType<ListeningRepository['lastHour']>>;

/** What an officer needs to judge the alert: a few comments (negative first for a negative spike), terms, networks, the series. */
function evidenceOf(recent: Recent, hours: readonly (HourBucket | undefined)[], kind: 'volume' | 'negative_share'): SpikeEvidence {
  const ordered = kind === 'negative_share' ? [...recent.filter((c) => c.sentiment === 'negative'), ...recent.filter((c) => c.sentiment !== 'negative')] : recent;
  const networks = new Map<string, number>();
  for (const c of recent) networks.set(c.network, (networks.get(c.network) ?? 0) + 1);
  const series = Array.from({ length: BASELINE_HOURS + 1 }, (_, i) => hours[i] ?? { total: 0, negative: 0, scored: 0 });
  const baseScored = series.slice(1).reduce((s, h) => s + h.scored, 0);
  return {
    samples: ordered.slice(0, SAMPLES).map((c) => ({ id: c.id, network: c.network, body: c.body.slice(0, 500), sentiment: c.sentiment, publishedAt: c.published_at.toISOString() })),
    terms: topTerms(recent.map((c) => c.body)),
    networks: [...networks].sort((a, b) => b[1] - a[1]).map(([network, count]) => ({ network, count })),
    // Oldest first, as a chart draws it.
    hourly: series.map((h) => h.total).reverse(),
    negativeShare: {
      lastHour: series[0]!.scored === 0 ? 0 : round(series[0]!.negative / series[0]!.scored),
      baseline: baseScored === 0 ? 0 : round(series.slice(1).reduce((s, h) => s + h.negative, 0) / baseScored),
    },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
