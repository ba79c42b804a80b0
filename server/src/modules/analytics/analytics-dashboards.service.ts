import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { AuditService } from '../audit/audit.service.js';
import type { DashboardBody, DashboardView } from './analytics-dashboards.dto.js';
import { dashboardError } from './analytics-dashboards.errors.js';
import { renderDashboard, type DashboardPage } from './analytics-dashboards.page.js';
import { AnalyticsDashboardsRepository, type DashboardRow } from './analytics-dashboards.repository.js';
import { AnalyticsReadRepository } from './analytics-read.repository.js';

const DAY_MS = 86_400_000;
/** What a cache may keep: short, so a revoke takes effect within five minutes everywhere. */
export const PUBLIC_MAX_AGE_S = 300;

/**
 * Public dashboards (decision 0028): an organisation publishes chosen widgets behind a link that
 * carries the dashboard id, its expiry and an HMAC of both under a key of its own (sealed with
 * the SecretBox). Expired, revoked and forged links get the same answer. Creating and revoking
 * are audited; the page reads only aggregates of the organisation and its subtree.
 */
@Injectable()
export class AnalyticsDashboards {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: AnalyticsDashboardsRepository,
    private readonly reads: AnalyticsReadRepository,
    private readonly audit: AuditService,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
  ) {}

  async create(ctx: RequestContext, b: z.output<typeof DashboardBody>): Promise<z.infer<typeof DashboardView>> {
    const expiresAt = new Date(Math.floor((Date.now() + b.expiresInDays * DAY_MS) / 1000) * 1000);
    // The key is sealed for this dashboard's id, so the id is chosen here rather than by the table.
    const id = randomUUID();
    const row = await this.repo.insert({ id, orgId: orgOf(ctx), title: b.title, widgets: b.widgets, rangeDays: b.rangeDays, keySealed: this.box.seal(randomBytes(32).toString('base64url'), keyContext(id)), expiresAt, createdBy: userOf(ctx).id });
    const view = this.view(row);
    await this.audit.record(ctx, { action: 'analytics.dashboard_published', targetType: 'analytics_dashboard', targetId: row.id, after: { title: row.title, widgets: row.widgets, rangeDays: row.range_days, expiresAt: view.expiresAt } });
    return view;
  }

  async list(ctx: RequestContext): Promise<Array<z.infer<typeof DashboardView>>> {
    return (await this.repo.list(orgOf(ctx))).map((r) => this.view(r));
  }

  async revoke(ctx: RequestContext, id: string): Promise<z.infer<typeof DashboardView>> {
    const before = await this.repo.find(id);
    if (!before) throw dashboardError('dashboard_not_found', 'No such dashboard');
    const row = await this.repo.revoke(id, new Date());
    if (!row) throw dashboardError('dashboard_not_found', 'No such dashboard');
    await this.audit.record(ctx, { action: 'analytics.dashboard_revoked', targetType: 'analytics_dashboard', targetId: id, before: { revokedAt: before.revoked_at?.toISOString() ?? null }, after: { revokedAt: row.revoked_at?.toISOString() ?? null } });
    return this.view(row);
  }

  /**
   * The page for a public link, or `dashboard_link_invalid`. No session: the link is the
   * permission. Reads run in the dashboard's organisation (row-level security: its subtree only).
   */
  async publicPage(id: string, exp: string, sig: string, now = new Date()): Promise<{ html: string; maxAge: number }> {
    const row = await this.tx.withTenantBypass('analytics: a public dashboard link names its dashboard', () => this.repo.find(id));
    const invalid = () => dashboardError('dashboard_link_invalid', 'This dashboard link has expired, was revoked, or is not valid');
    if (!row || String(Math.floor(row.expires_at.getTime() / 1000)) !== exp) throw invalid();
    const expected = Buffer.from(this.signature(row), 'utf8');
    const given = Buffer.from(sig, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    if (row.revoked_at || row.expires_at.getTime() <= now.getTime()) throw invalid();
    const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
    const from = new Date(to.getTime() - row.range_days * DAY_MS);
    const scope = { kind: 'organisation' as const, id: row.org_id };
    const page: DashboardPage = await this.tx.inTenant({ orgId: row.org_id }, async () => ({
      title: row.title,
      rangeDays: row.range_days,
      generatedAt: now,
      widgets: row.widgets,
      reach: row.widgets.includes('reach_over_time') ? (await this.reads.buckets(scope, from, to, 'day', 'UTC', false)).map((b) => ({ day: b.bucket.toISOString().slice(0, 10), reach: b.reach, impressions: b.impressions })) : [],
      top: row.widgets.includes('top_posts') ? (await this.repo.topPosts(row.org_id, from, to, 10)).map((p) => ({ network: p.network, publishedAt: p.published_at, reach: p.reach, impressions: p.impressions, reactions: p.reactions, shares: p.shares, comments: p.comments })) : [],
      // Comment sentiment is the listening slice's; until it offers aggregates, the widget says "not available yet".
      sentiment: null,
    }));
    const maxAge = Math.max(0, Math.min(PUBLIC_MAX_AGE_S, Math.floor((row.expires_at.getTime() - now.getTime()) / 1000)));
    return { html: renderDashboard(page), maxAge };
  }

  private signature(row: DashboardRow): string {
    const key = this.box.open(row.key_sealed, keyContext(row.id));
    return createHmac('sha256', key).update(`${row.id}.${Math.floor(row.expires_at.getTime() / 1000)}`).digest('base64url');
  }

  private view(row: DashboardRow): z.infer<typeof DashboardView> {
    const url = `${this.res.config.publicUrl}/api/v1/public/dashboards/${row.id}?exp=${Math.floor(row.expires_at.getTime() / 1000)}&sig=${this.signature(row)}`;
    return {
      id: row.id,
      organisationId: row.org_id,
      title: row.title,
      widgets: row.widgets as z.infer<typeof DashboardView>['widgets'],
      rangeDays: row.range_days,
      expiresAt: row.expires_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      url,
      embed: `<iframe src="${url.replace(/&/g, '&amp;')}" title="${row.title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}" width="100%" height="720" loading="lazy" style="border:0"></iframe>`,
    };
  }
}

const keyContext = (id: string) => `analytics_dashboard:${id}`;
