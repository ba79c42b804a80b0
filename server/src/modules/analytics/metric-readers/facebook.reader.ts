import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson } from './reader-http.js';
import type { NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';

/**
 * Facebook Page posts (contract §1.4). Impression metrics were withdrawn in 2025 (asking for them
 * is error 100), so impressions are not available; `post_total_media_view_unique` is reach.
 * Counts come from the post's own fields; the rest from lifetime insights.
 */
export const FACEBOOK_POST_INSIGHTS = ['post_total_media_view_unique', 'post_clicks', 'post_video_views'] as const;

export class FacebookMetricReader implements MetricReader {
  readonly network = 'facebook' as const;

  async readPost(call: NetworkReadCall, post: PostRef): Promise<PostMetrics> {
    const id = encodeURIComponent(post.externalId);
    const fields = await getJson(call, `${call.channel.baseUrl}/${id}?fields=${encodeURIComponent('shares,reactions.summary(total_count),comments.summary(total_count)')}`, OPTS);
    const insights = await getJson(call, `${call.channel.baseUrl}/${id}/insights?metric=${FACEBOOK_POST_INSIGHTS.join(',')}&period=lifetime`, OPTS);
    const metric = graphInsights(insights);
    return {
      values: metricValues({
        reach: metric.get('post_total_media_view_unique'),
        reactions: at(fields, 'reactions', 'summary', 'total_count'),
        comments: at(fields, 'comments', 'summary', 'total_count'),
        shares: at(fields, 'shares', 'count') ?? (at(fields, 'id') !== undefined ? 0 : undefined),
        clicks: metric.get('post_clicks'),
        video_views: metric.get('post_video_views'),
      }),
    };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const page = await getJson(call, `${call.channel.baseUrl}/${encodeURIComponent(call.channel.accountId)}?fields=followers_count`, OPTS);
    return metricValues({ followers: at(page, 'followers_count') });
  }
}

const OPTS = { label: 'Facebook', isGone: isGraphMissing };

/** Graph's "object does not exist" (code 100, subcode 33): the post was deleted. */
export function isGraphMissing(body: unknown): boolean {
  return at(body, 'error', 'code') === 100 && at(body, 'error', 'error_subcode') === 33;
}

/** name → lifetime value from a Graph insights answer. */
export function graphInsights(body: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const data = at(body, 'data');
  if (!Array.isArray(data)) return out;
  for (const row of data) {
    const name = at(row, 'name');
    const values = at(row, 'values');
    if (typeof name === 'string' && Array.isArray(values) && values.length > 0) out.set(name, at(values[values.length - 1], 'value'));
  }
  return out;
}
