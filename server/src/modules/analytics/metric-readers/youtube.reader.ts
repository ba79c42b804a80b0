import { NetworkReadError, type NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';
import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson } from './reader-http.js';

/**
 * YouTube Data API (contract §5.6): `statistics` {viewCount, likeCount, commentCount} as strings;
 * `dislikeCount` is private since 2021 and not used. Watch time and shares need the separate
 * Analytics API (another scope): not available here. Followers are subscribers.
 */
export class YouTubeMetricReader implements MetricReader {
  readonly network = 'youtube' as const;

  async readPost(call: NetworkReadCall, post: PostRef): Promise<PostMetrics> {
    const body = await getJson(call, `${call.channel.baseUrl}/youtube/v3/videos?part=statistics&id=${encodeURIComponent(post.externalId)}`, OPTS);
    const items = at(body, 'items');
    const stats = Array.isArray(items) && items.length > 0 ? at(items[0], 'statistics') : undefined;
    if (stats === undefined) throw new NetworkReadError('gone', 'YouTube no longer has the video');
    const views = at(stats, 'viewCount');
    return { values: metricValues({ impressions: views, video_views: views, reactions: at(stats, 'likeCount'), comments: at(stats, 'commentCount') }) };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const body = await getJson(call, `${call.channel.baseUrl}/youtube/v3/channels?part=statistics&mine=true`, OPTS);
    const items = at(body, 'items');
    const stats = Array.isArray(items) && items.length > 0 ? at(items[0], 'statistics') : undefined;
    // A channel that hides its subscriber count has none to give: not available, not 0.
    return metricValues({ followers: at(stats, 'hiddenSubscriberCount') === true ? undefined : at(stats, 'subscriberCount') });
  }
}

const OPTS = { label: 'YouTube' };
