import { NetworkReadError, type NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';
import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson } from './reader-http.js';

/** Bluesky (contract §7.4): postView counts {likeCount, repostCount, quoteCount, replyCount, bookmarkCount}; no views. */
export class BlueskyMetricReader implements MetricReader {
  readonly network = 'bluesky' as const;

  async readPost(call: NetworkReadCall, post: PostRef): Promise<PostMetrics> {
    const body = await getJson(call, `${call.channel.baseUrl}/xrpc/app.bsky.feed.getPosts?uris=${encodeURIComponent(post.externalId)}`, OPTS);
    const posts = at(body, 'posts');
    const view: unknown = Array.isArray(posts) ? (posts as unknown[]).find((p) => at(p, 'uri') === post.externalId) : undefined;
    if (view === undefined) throw new NetworkReadError('gone', 'Bluesky no longer has the post');
    const reposts = at(view, 'repostCount');
    const quotes = at(view, 'quoteCount');
    return {
      values: metricValues({
        reactions: at(view, 'likeCount'),
        comments: at(view, 'replyCount'),
        shares: typeof reposts === 'number' ? reposts + (typeof quotes === 'number' ? quotes : 0) : undefined,
        saves: at(view, 'bookmarkCount'),
      }),
    };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const actor = call.extra.did ?? call.channel.accountId;
    const profile = await getJson(call, `${call.channel.baseUrl}/xrpc/app.bsky.actor.getProfile?actor=${encodeURIComponent(actor)}`, OPTS);
    return metricValues({ followers: at(profile, 'followersCount') });
  }
}

const OPTS = { label: 'Bluesky' };
