import { NetworkReadError, type NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';
import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson, nextUtcMidnight } from './reader-http.js';

/**
 * LinkedIn organisation posts (contract §4.6): `organizationalEntityShareStatistics` →
 * totalShareStatistics {impressionCount, uniqueImpressionsCount (reach), clickCount, likeCount,
 * commentCount, shareCount}. A member's own posts need restricted scopes: only social actions
 * (likes, comments). Daily quotas reset at midnight UTC with no header.
 */
export class LinkedInMetricReader implements MetricReader {
  readonly network = 'linkedin' as const;

  async readPost(call: NetworkReadCall, post: PostRef): Promise<PostMetrics> {
    const author = call.channel.accountId;
    if (author.startsWith('urn:li:organization:')) {
      const kind = post.externalId.startsWith('urn:li:ugcPost:') ? 'ugcPosts' : 'shares';
      const query = `q=organizationalEntity&organizationalEntity=${encodeURIComponent(author)}&${kind}=List(${encodeURIComponent(post.externalId)})`;
      const body = await getJson(call, `${call.channel.baseUrl}/rest/organizationalEntityShareStatistics?${query}`, opts(call));
      const elements = at(body, 'elements');
      const stats = Array.isArray(elements) ? elements.map((e) => at(e, 'totalShareStatistics')).find((s) => s !== undefined) : undefined;
      if (stats === undefined) throw new NetworkReadError('gone', 'LinkedIn has no statistics for the post');
      return {
        values: metricValues({
          impressions: at(stats, 'impressionCount'),
          reach: at(stats, 'uniqueImpressionsCount'),
          clicks: at(stats, 'clickCount'),
          reactions: at(stats, 'likeCount'),
          comments: at(stats, 'commentCount'),
          shares: at(stats, 'shareCount'),
        }),
      };
    }
    const body = await getJson(call, `${call.channel.baseUrl}/rest/socialActions/${encodeURIComponent(post.externalId)}`, opts(call));
    return { values: metricValues({ reactions: at(body, 'likesSummary', 'totalLikes'), comments: at(body, 'commentsSummary', 'aggregatedTotalComments') }) };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const author = call.channel.accountId;
    if (!author.startsWith('urn:li:organization:')) return metricValues({});
    const body = await getJson(call, `${call.channel.baseUrl}/rest/networkSizes/${encodeURIComponent(author)}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`, opts(call));
    return metricValues({ followers: at(body, 'firstDegreeSize') });
  }
}

function opts(_call: NetworkReadCall) {
  return { label: 'LinkedIn', headers: { 'linkedin-version': lastMonth(), 'x-restli-protocol-version': '2.0.0' }, resetAt: () => nextUtcMidnight() };
}

/** LinkedIn's versions are monthly (YYYYMM) and a version is live once its month starts; last month is safe. */
function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
