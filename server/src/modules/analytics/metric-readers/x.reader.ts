import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson } from './reader-http.js';
import { NetworkReadError, type NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';

/** X gives non-public metrics (link clicks) to the author only for posts up to 30 days old. */
export const X_NON_PUBLIC_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * X API v2 (contract §3.6): `public_metrics` {impression_count, like_count, reply_count,
 * retweet_count, quote_count, bookmark_count}; within 30 days `non_public_metrics.url_link_clicks`;
 * video views from the media's `public_metrics.view_count`. No reach.
 */
export class XMetricReader implements MetricReader {
  readonly network = 'x' as const;

  async readPost(call: NetworkReadCall, post: PostRef, now: Date): Promise<PostMetrics> {
    const recent = now.getTime() - post.publishedAt.getTime() <= X_NON_PUBLIC_DAYS * DAY_MS;
    const query = new URLSearchParams({
      'tweet.fields': recent ? 'public_metrics,non_public_metrics' : 'public_metrics',
      expansions: 'attachments.media_keys',
      'media.fields': 'public_metrics',
    });
    const body = await getJson(call, `${call.channel.baseUrl}/2/tweets/${encodeURIComponent(post.externalId)}?${query.toString()}`, OPTS);
    if (at(body, 'data') === undefined) throw goneFrom(body);
    const pub = at(body, 'data', 'public_metrics');
    const media = at(body, 'includes', 'media');
    const views = Array.isArray(media) ? media.map((m) => at(m, 'public_metrics', 'view_count')).find((v) => typeof v === 'number') : undefined;
    const retweets = at(pub, 'retweet_count');
    const quotes = at(pub, 'quote_count');
    return {
      values: metricValues({
        impressions: at(pub, 'impression_count'),
        reactions: at(pub, 'like_count'),
        comments: at(pub, 'reply_count'),
        shares: typeof retweets === 'number' ? retweets + (typeof quotes === 'number' ? quotes : 0) : undefined,
        saves: at(pub, 'bookmark_count'),
        clicks: recent ? at(body, 'data', 'non_public_metrics', 'url_link_clicks') : undefined,
        video_views: views,
      }),
    };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const body = await getJson(call, `${call.channel.baseUrl}/2/users/me?user.fields=public_metrics`, OPTS);
    return metricValues({ followers: at(body, 'data', 'public_metrics', 'followers_count') });
  }
}

const OPTS = { label: 'X' };

/** X answers 200 with `errors` (Not Found Error) and no `data` for a deleted post. */
function goneFrom(body: unknown): NetworkReadError {
  const errors = at(body, 'errors');
  const title = Array.isArray(errors) ? at(errors[0], 'title') : undefined;
  return new NetworkReadError('gone', `X no longer has the post${typeof title === 'string' ? ` (${title})` : ''}`);
}
