import type { NetworkReadCall } from '../../publishing/metric-reads.port.js';
import type { MetricValues } from '../analytics.metrics.js';
import { at, metricValues, type MetricReader, type PostMetrics, type PostRef } from './metric-reader.js';
import { getJson } from './reader-http.js';

/** Mastodon (contract §8.5): status counters only; no impressions, reach or clicks exist. */
export class MastodonMetricReader implements MetricReader {
  readonly network = 'mastodon' as const;

  async readPost(call: NetworkReadCall, post: PostRef): Promise<PostMetrics> {
    const s = await getJson(call, `${call.channel.baseUrl}/api/v1/statuses/${encodeURIComponent(post.externalId)}`, OPTS);
    const reblogs = at(s, 'reblogs_count');
    const quotes = at(s, 'quotes_count');
    return {
      values: metricValues({
        reactions: at(s, 'favourites_count'),
        comments: at(s, 'replies_count'),
        shares: typeof reblogs === 'number' ? reblogs + (typeof quotes === 'number' ? quotes : 0) : undefined,
      }),
    };
  }

  async readAccount(call: NetworkReadCall): Promise<MetricValues> {
    const account = await getJson(call, `${call.channel.baseUrl}/api/v1/accounts/verify_credentials`, OPTS);
    return metricValues({ followers: at(account, 'followers_count') });
  }
}

const OPTS = { label: 'Mastodon' };
