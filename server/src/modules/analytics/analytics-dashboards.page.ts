import { createHash } from 'node:crypto';

/**
 * The public dashboard page: plain HTML and inline SVG, no script, so it works in an iframe, in
 * a reader, and with styles off. WCAG 2.1 AA: every chart has a text alternative and the same
 * figures as a table (nothing is said by colour alone), text contrast above 7:1, a language,
 * headings in order. Only aggregates reach it: counts per day and per post, a network and a day.
 */
export interface DashboardPage {
  title: string;
  rangeDays: number;
  generatedAt: Date;
  widgets: readonly string[];
  reach: ReadonlyArray<{ day: string; reach: number | null; impressions: number | null }>;
  top: ReadonlyArray<{ network: string; publishedAt: Date; reach: number | null; impressions: number | null; reactions: number | null; shares: number | null; comments: number | null }>;
  /** Positive, neutral, negative shares in [0, 1]; null while Guddu holds no scored comments. */
  sentiment: { positive: number; neutral: number; negative: number; comments: number } | null;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#111;background:#fff;margin:1rem;max-width:48rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;margin-top:.5rem}
th,td{border:1px solid #555;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:600}.bar{fill:#1f4e79}.axis{stroke:#111}svg text{font-size:12px;fill:#111}
.na{font-style:italic}footer{margin-top:2rem;font-size:.875rem;color:#333}`;

/** The page's Content-Security-Policy: its one style block by hash, nothing else loads; any site may frame it. */
export const DASHBOARD_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors *; base-uri 'none'; form-action 'none'`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const NA = '<span class="na">not available</span>';
const fmt = (n: number | null) => (n === null ? NA : Math.round(n).toLocaleString('en-IN'));
const NETWORK_NAMES: Record<string, string> = { facebook: 'Facebook', instagram: 'Instagram', x: 'X', youtube: 'YouTube', linkedin: 'LinkedIn', mastodon: 'Mastodon', bluesky: 'Bluesky' };

export function renderDashboard(d: DashboardPage): string {
  const parts: string[] = [];
  if (d.widgets.includes('reach_over_time')) parts.push(reachWidget(d));
  if (d.widgets.includes('top_posts')) parts.push(topWidget(d));
  if (d.widgets.includes('sentiment_share')) parts.push(sentimentWidget(d));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(d.title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(d.title)}</h1><p>The last ${d.rangeDays} days, figures as the networks report them.</p>
${parts.join('\n')}
</main><footer>Updated ${escapeHtml(d.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC. Published with Guddu.</footer></body></html>`;
}

function reachWidget(d: DashboardPage): string {
  const values = d.reach.map((r) => r.reach ?? r.impressions);
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const width = 640;
  const height = 200;
  const step = d.reach.length > 0 ? (width - 40) / d.reach.length : 0;
  const bars = d.reach
    .map((r, i) => {
      const v = values[i] ?? null;
      if (v === null) return '';
      const h = Math.round((v / max) * (height - 30));
      return `<rect class="bar" x="${(40 + i * step).toFixed(1)}" y="${height - 20 - h}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h}"><title>${escapeHtml(r.day)}: ${Math.round(v)}</title></rect>`;
    })
    .join('');
  const total = values.reduce<number | null>((a, v) => (v === null ? a : (a ?? 0) + v), null);
  const rows = d.reach.map((r) => `<tr><td>${escapeHtml(r.day)}</td><td>${fmt(r.reach)}</td><td>${fmt(r.impressions)}</td></tr>`).join('');
  return `<section aria-labelledby="reach-h"><h2 id="reach-h">Reach over time</h2>
<svg role="img" aria-labelledby="reach-t reach-d" viewBox="0 0 ${width} ${height}" width="100%"><title id="reach-t">Reach per day</title><desc id="reach-d">${d.reach.length} days; highest day ${Math.round(max)}; ${total === null ? 'no network reported reach' : `sum of daily figures ${Math.round(total)}`}. The table below has every figure.</desc>
<line class="axis" x1="38" y1="${height - 20}" x2="${width}" y2="${height - 20}"/><text x="0" y="12">${Math.round(max)}</text><text x="0" y="${height - 22}">0</text>${bars}</svg>
<table><caption>Reach and views per day (running totals of the posts read that day)</caption><thead><tr><th scope="col">Day (UTC)</th><th scope="col">Reach</th><th scope="col">Views</th></tr></thead><tbody>${rows || '<tr><td colspan="3">No figures yet</td></tr>'}</tbody></table></section>`;
}

function topWidget(d: DashboardPage): string {
  const rows = d.top
    .map((p, i) => `<tr><td>${i + 1}. ${escapeHtml(NETWORK_NAMES[p.network] ?? p.network)}, ${escapeHtml(p.publishedAt.toISOString().slice(0, 10))}</td><td>${fmt(p.reach)}</td><td>${fmt(p.impressions)}</td><td>${fmt(p.reactions)}</td><td>${fmt(p.comments)}</td><td>${fmt(p.shares)}</td></tr>`)
    .join('');
  return `<section aria-labelledby="top-h"><h2 id="top-h">Top posts</h2>
<table><caption>Posts with the widest reach (network and day published)</caption><thead><tr><th scope="col">Post</th><th scope="col">Reach</th><th scope="col">Views</th><th scope="col">Reactions</th><th scope="col">Comments</th><th scope="col">Shares</th></tr></thead><tbody>${rows || '<tr><td colspan="6">No posts in this period</td></tr>'}</tbody></table></section>`;
}

function sentimentWidget(d: DashboardPage): string {
  if (!d.sentiment) return `<section aria-labelledby="sent-h"><h2 id="sent-h">Public reaction</h2><p>Not available yet: no scored comments for this period.</p></section>`;
  const s = d.sentiment;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return `<section aria-labelledby="sent-h"><h2 id="sent-h">Public reaction</h2>
<table><caption>Share of ${s.comments} comments by tone</caption><thead><tr><th scope="col">Tone</th><th scope="col">Share</th></tr></thead><tbody>
<tr><td>Positive</td><td>${pct(s.positive)}</td></tr><tr><td>Neutral</td><td>${pct(s.neutral)}</td></tr><tr><td>Negative</td><td>${pct(s.negative)}</td></tr></tbody></table></section>`;
}

/** The answer for a link that no longer works (expired, revoked, or never valid). */
export function goneHtml(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dashboard unavailable</title><style>${STYLE}</style></head><body><main><h1>This dashboard is no longer available</h1><p>The link has expired or was withdrawn by its publisher.</p></main></body></html>`;
}
