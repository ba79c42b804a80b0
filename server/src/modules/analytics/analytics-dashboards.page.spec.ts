import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, renderDashboard } from './analytics-dashboards.page.js';

const page = {
  title: 'MEA <script>alert(1)</script> & friends',
  rangeDays: 7,
  generatedAt: new Date('2026-12-07T10:00:00Z'),
  widgets: ['reach_over_time', 'top_posts', 'sentiment_share'],
  reach: [
    { day: '2026-12-01', reach: 100, impressions: 300 },
    { day: '2026-12-02', reach: null, impressions: null },
  ],
  top: [{ network: 'x', publishedAt: new Date('2026-12-01T09:00:00Z'), reach: null, impressions: 300, reactions: 12, shares: 0, comments: 3 }],
  sentiment: null,
};

describe('public dashboard page', () => {
  it('escapes text, has no script, and gives every chart a text alternative and a table', () => {
    const html = renderDashboard(page);
    expect(html).not.toContain('<script');
    expect(html).toContain('MEA &#60;script&#62;alert(1)&#60;/script&#62; &#38; friends');
    expect(html).toMatch(/<svg role="img" aria-labelledby="reach-t reach-d"/);
    expect(html).toContain('<caption>Reach and views per day');
    expect(html).toMatch(/<html lang="en">/);
  });

  it('says "not available" rather than 0, and shows 0 as 0', () => {
    const html = renderDashboard(page);
    expect(html).toContain('<td>2026-12-02</td><td><span class="na">not available</span></td>');
    expect(html).toMatch(/<td>1\. X, 2026-12-01<\/td><td><span class="na">not available<\/span><\/td><td>300<\/td><td>12<\/td><td>3<\/td><td>0<\/td>/);
    expect(html).toContain('Not available yet');
  });

  it('allows exactly its own style block by hash, and framing from any site', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(renderDashboard(page))![1]!;
    expect(DASHBOARD_CSP).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(DASHBOARD_CSP).toContain('frame-ancestors *');
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
  });
});
