import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson } from './reader-http.js';
import { graphInsights, isGraphMissing } from './facebook.reader.js';
import type { NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';

/**
 * Instagram media (contract §2.4): `views` (impressions and plays were deprecated), `reach`,
 * `likes`, `comments`, `shares`, `saved`; Reels add `ig_reels_video_view_total_time` (ms).
 * A story's insights exist for 24 hours only; the schedule reads them before then.
 */
const FEED = ['views', 'reach', 'likes', 'comments', 'shares', 'saved'] as const;

export class InstagramMetricReader implements MetricReader {
  readonly network = 'instagram' as const;

  async readPost(call: NetworkReadCall, post: PostRef): Promise<PostMetrics> {
    const id = encodeURIComponent(post.externalId);
    const media = await getJson(call, `${call.channel.baseUrl}/${id}?fields=media_product_type`, OPTS);
    const kind = at(media, 'media_product_type');
    const reel = kind === 'REELS';
    const wanted = reel ? [...FEED, 'ig_reels_video_view_total_time'] : [...FEED];
    const metric = graphInsights(await getJson(call, `${call.channel.baseUrl}/${id}/insights?metric=${wanted.join(',')}`, OPTS));
    const totalMs = metric.get('ig_reels_video_view_total_time');
    return {
      story: kind === 'STORY',
      values: metricValues({
        impressions: metric.get('views'),
        reach: metric.get('reach'),
        reactions: metric.get('likes'),
        comments: metric.get('comments'),
        shares: metric.get('shares'),
        saves: metric.get('saved'),
        video_views: reel ? metric.get('views') : undefined,
        watch_time_seconds: typeof totalMs === 'number' ? Math.floor(totalMs / 1000) : undefined,
      }),
    };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const user = await getJson(call, `${call.channel.baseUrl}/${encodeURIComponent(call.channel.accountId)}?fields=followers_count`, OPTS);
    return metricValues({ followers: at(user, 'followers_count') });
  }
}

const OPTS = { label: 'Instagram', isGone: isGraphMissing };
