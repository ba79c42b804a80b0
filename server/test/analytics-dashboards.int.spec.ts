import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsMetricsService } from '../src/modules/analytics/analytics-metrics.service.js';
import { AnalyticsDashboards } from '../src/modules/analytics/analytics-dashboards.service.js';
import { METRICS, type MetricValues } from '../src/modules/analytics/analytics.metrics.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { addUser, call, chainAudit, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// Public dashboards: a signed link that expires and can be revoked, an accessible page that
// carries aggregates only, cacheable and embeddable; every share audited.
const DAY = 86_400_000;
let t: TestApp;
let ministry: { orgId: string; owner: Session };
let analyst: Session;
const channelId = randomUUID();
const deliveryId = randomUUID();

beforeAll(async () => {
  t = await startTestApp();
  ministry = await seedRootOrg(t, `Ministry ${randomUUID().slice(0, 6)}`);
  analyst = (await addUser(t, ministry.orgId, 'analyst')).session;
  const now = Date.now();
  await t.app.get(Transactor).withTenantBypass('test: a tracked post', (db) =>
    db.insertInto('analytics_snapshot_plan').values({ org_id: ministry.orgId, kind: 'post', channel_id: channelId, network: 'linkedin', delivery_id: deliveryId, message_id: randomUUID(), campaign_id: null, external_id: 'urn:li:share:1', published_at: new Date(now - 2 * DAY), next_at: null, lease_until: null, last_error: null, last_read_at: null, done_at: null }).execute(),
  );
  const values = { ...(Object.fromEntries(METRICS.map((m) => [m, null])) as MetricValues), reach: 4321, impressions: 9000, reactions: 17, shares: 0 };
  await t.app.get(AnalyticsMetricsService).ingest([{ orgId: ministry.orgId, channelId, deliveryId, network: 'linkedin', capturedAt: new Date(now - DAY), values }]);
}, 120_000);
afterAll(async () => t?.close());

interface View { id: string; url: string; embed: string; expiresAt: string; revokedAt: string | null }

async function publish(as: Session, body: Record<string, unknown>) {
  return call(t, { method: 'POST', url: '/api/v1/analytics/dashboards', token: as.accessToken, payload: body });
}

const open = (url: string) => call(t, { method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, '') });

describe('public dashboards', () => {
  it('publishes a signed link whose page shows aggregates only, accessible, cacheable and embeddable', async () => {
    const res = await publish(ministry.owner, { title: 'Reach of our statements', widgets: ['reach_over_time', 'top_posts', 'sentiment_share'], rangeDays: 7, expiresInDays: 3 });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json<View>();
    expect(d.embed).toMatch(/^<iframe src="[^"]+&amp;sig=[^"]+" title="Reach of our statements"/);
    const page = await open(d.url);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('public, max-age=300');
    expect(String(page.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.body).toContain('4,321');
    expect(page.body).toContain('LinkedIn');
    // No handle, no post address, no script.
    expect(page.body).not.toContain('urn:li:share');
    expect(page.body).not.toContain('<script');
    await chainAudit(t, ministry.orgId);
    const audit = await call(t, { method: 'GET', url: '/api/v1/audit?action=analytics.dashboard_published', token: ministry.owner.accessToken });
    expect(audit.body).toContain(d.id);
  });

  it('refuses a forged or altered link, an expired one and a revoked one with the same answer', async () => {
    const d = (await publish(ministry.owner, { title: 'Short lived', widgets: ['reach_over_time'], expiresInDays: 1 })).json<View>();
    const sig = new URL(d.url).searchParams.get('sig')!;
    const forged = d.url.replace(sig, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    expect((await open(forged)).statusCode).toBe(410);
    const exp = new URL(d.url).searchParams.get('exp')!;
    expect((await open(d.url.replace(`exp=${exp}`, `exp=${Number(exp) + 86_400}`))).statusCode).toBe(410);
    // Expiry, as the page is asked for one second after it.
    const dashboards = t.app.get(AnalyticsDashboards);
    await expect(dashboards.publicPage(d.id, exp, sig, new Date((Number(exp) + 1) * 1000))).rejects.toMatchObject({ code: 'dashboard_link_invalid' });
    await expect(dashboards.publicPage(d.id, exp, sig, new Date((Number(exp) - 60) * 1000))).resolves.toMatchObject({ maxAge: 60 });
    const revoked = await call(t, { method: 'POST', url: `/api/v1/analytics/dashboards/${d.id}/revoke`, token: ministry.owner.accessToken });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json<View>().revokedAt).not.toBeNull();
    const gone = await open(d.url);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['cache-control']).toBe('no-store');
    expect(gone.body).toContain('no longer available');
  });

  it('only those who manage settings publish; analysts list', async () => {
    expect((await publish(analyst, { title: 'Mine', widgets: ['top_posts'] })).statusCode).toBe(403);
    const list = await call(t, { method: 'GET', url: '/api/v1/analytics/dashboards', token: analyst.accessToken });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: View[] }>().items.length).toBeGreaterThan(0);
  });
});
