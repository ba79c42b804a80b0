import type { ResponseOf } from '@/lib/api/types';
import type { operations } from '@/lib/api/schema';

export type CommentView = ResponseOf<'ListeningController.comments'>['items'][number];
export type AlertView = ResponseOf<'ListeningController.alerts'>['items'][number];
export type CommentsQuery = NonNullable<operations['ListeningController.comments']['parameters']['query']>;

/** The filters a reader sets; empty strings mean "any" and are left out of the query. */
export interface CommentFilters {
  q: string;
  sentiment: '' | NonNullable<CommentsQuery['sentiment']>;
  network: '' | NonNullable<CommentsQuery['network']>;
  lang: string;
  messageId: string;
}

export const NO_FILTERS: CommentFilters = { q: '', sentiment: '', network: '', lang: '', messageId: '' };
export const SENTIMENT_FILTERS = ['positive', 'neutral', 'negative', 'unsupported'] as const;
export const NETWORK_FILTERS = ['x', 'facebook', 'instagram', 'linkedin', 'youtube', 'mastodon', 'bluesky'] as const;

export function commentsQuery(f: CommentFilters, limit = 50): CommentsQuery {
  const q: CommentsQuery = { limit };
  if (f.q.trim().length >= 2) q.q = f.q.trim();
  if (f.sentiment) q.sentiment = f.sentiment;
  if (f.network) q.network = f.network;
  if (f.lang.trim()) q.lang = f.lang.trim();
  if (/^[0-9a-f-]{36}$/i.test(f.messageId.trim())) q.messageId = f.messageId.trim();
  return q;
}

export const listeningKeys = {
  comments: (q: CommentsQuery) => ['get', '/api/v1/listening/comments', q] as const,
  alerts: (open: boolean) => ['get', '/api/v1/listening/alerts', open ? { limit: 50, open: 'true' } : { limit: 50 }] as const,
};
