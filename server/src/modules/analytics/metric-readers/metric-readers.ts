import { BlueskyMetricReader } from './bluesky.reader.js';
import { FacebookMetricReader } from './facebook.reader.js';
import { InstagramMetricReader } from './instagram.reader.js';
import { LinkedInMetricReader } from './linkedin.reader.js';
import { MastodonMetricReader } from './mastodon.reader.js';
import type { MetricReader } from './metric-reader.js';
import { XMetricReader } from './x.reader.js';
import { YouTubeMetricReader } from './youtube.reader.js';

const ALL: MetricReader[] = [new FacebookMetricReader(), new InstagramMetricReader(), new XMetricReader(), new YouTubeMetricReader(), new LinkedInMetricReader(), new MastodonMetricReader(), new BlueskyMetricReader()];
const BY_NETWORK = new Map<string, MetricReader>(ALL.map((r) => [r.network, r]));

/** The network's metric reader, or undefined where Guddu reads none (readers hold no state). */
export function metricReaderFor(network: string): MetricReader | undefined {
  return BY_NETWORK.get(network);
}
