import type { Network } from '../../publishing/network-reads.port.js';
import { BlueskyCommentReader } from './bluesky.comments.js';
import type { CommentReader } from './comment-reader.js';
import { FacebookCommentReader, InstagramCommentReader } from './graph.comments.js';
import { LinkedInCommentReader } from './linkedin.comments.js';
import { MastodonCommentReader } from './mastodon.comments.js';
import { XCommentReader } from './x.comments.js';
import { YouTubeCommentReader } from './youtube.comments.js';

/** Every network's reader; a network missing here has no comment reads (none today). */
export const COMMENT_READERS: ReadonlyMap<Network, CommentReader> = new Map<Network, CommentReader>(
  [new FacebookCommentReader(), new InstagramCommentReader(), new XCommentReader(), new LinkedInCommentReader(), new YouTubeCommentReader(), new MastodonCommentReader(), new BlueskyCommentReader()].map((r) => [r.network, r]),
);
