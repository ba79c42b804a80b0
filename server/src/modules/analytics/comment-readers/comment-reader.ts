import type { Network, ProviderCall } from '../../publishing/network-reads.port.js';

/** One comment, reply or mention as a network gave it, before language and sentiment. */
export interface FetchedComment {
  externalId: string;
  /** The comment or post it answers, when the network says. */
  parentExternalId: string | null;
  /** The post of ours the thread belongs to, for mentions that answer one (links it to its message). */
  rootExternalId: string | null;
  text: string;
  /** Personal data: kept only for the retention policy's days. */
  authorHandle: string | null;
  publishedAt: Date;
}

export interface CommentBatch {
  comments: FetchedComment[];
  /** Where the next read starts (the reader's own format); null keeps the previous one. */
  cursor: string | null;
}

/** Bounds one read: a post with a flood of comments is taken over several polls, never in one. */
export const MAX_PAGES_PER_READ = 10;

/**
 * One network's comment reads (contract §14), a sibling of its publishing provider. Readers only
 * read: every call goes through NETWORK_READS (credentials, shared rate limits), and a re-read
 * is harmless because comments are unique per network id.
 */
export interface CommentReader {
  readonly network: Network;
  /** Comments and replies on one of the account's own posts, newer than the cursor. */
  readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch>;
  /** Mentions of the account, where the network has a pull API (X, Mastodon, Bluesky); undefined elsewhere. */
  readMentions?(call: ProviderCall, cursor: string | null): Promise<CommentBatch>;
}

/** The newest time seen, as the next cursor of a time-ordered read (or the old one). */
export function newestCursor(comments: readonly FetchedComment[], previous: string | null): string | null {
  let newest = previous ? Date.parse(previous) : -Infinity;
  for (const c of comments) newest = Math.max(newest, c.publishedAt.getTime());
  return Number.isFinite(newest) ? new Date(newest).toISOString() : previous;
}

/**
 * Time cursors overlap by a minute: two comments in the same second on either side of a read
 * are both kept (the unique key absorbs the re-read ones).
 */
export function sinceOf(cursor: string | null): number {
  if (!cursor) return -Infinity;
  const t = Date.parse(cursor);
  return Number.isNaN(t) ? -Infinity : t - 60_000;
}

/** Mastodon and Facebook send HTML or entity-laden text; a comment is stored as plain text. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
