import type { ProviderCall } from '../../publishing/network-reads.port.js';
import { type CommentBatch, type CommentReader, type FetchedComment, MAX_PAGES_PER_READ, newestCursor, sinceOf } from './comment-reader.js';
import { arr, getJson, isRecord, str } from './reader-http.js';

function commentOf(c: unknown, videoId: string, parent: string): FetchedComment | undefined {
  if (!isRecord(c) || !isRecord(c.snippet)) return undefined;
  const s = c.snippet;
  const id = str(c.id);
  const at = Date.parse(str(s.publishedAt) ?? '');
  if (!id || Number.isNaN(at)) return undefined;
  return { externalId: id, parentExternalId: str(s.parentId) ?? parent, rootExternalId: videoId, text: str(s.textOriginal) ?? str(s.textDisplay) ?? '', authorHandle: str(s.authorDisplayName) ?? null, publishedAt: new Date(at) };
}

/**
 * YouTube: `commentThreads.list?videoId=&order=time` (newest first, 1 quota unit a page), with
 * the replies it includes; `comments.list?parentId=` when a thread has more replies than it
 * carries (contract §14: the included replies are a subset).
 */
export class YouTubeCommentReader implements CommentReader {
  readonly network = 'youtube' as const;

  async readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const base = call.credentials.channel.baseUrl;
    const out: FetchedComment[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_READ; page += 1) {
      const q = new URLSearchParams({ part: 'snippet,replies', videoId: postId, order: 'time', maxResults: '100', textFormat: 'plainText', ...(pageToken ? { pageToken } : {}) });
      const body = await getJson(call, `${base}/youtube/v3/commentThreads?${q.toString()}`, 'YouTube');
      const items = isRecord(body) ? arr(body.items) : [];
      let older = false;
      for (const thread of items) {
        if (!isRecord(thread) || !isRecord(thread.snippet)) continue;
        const top = commentOf(thread.snippet.topLevelComment, postId, postId);
        if (!top) continue;
        if (top.publishedAt.getTime() >= since) out.push(top);
        else older = true;
        let replies = isRecord(thread.replies) ? arr(thread.replies.comments) : [];
        const total = typeof thread.snippet.totalReplyCount === 'number' ? thread.snippet.totalReplyCount : 0;
        if (total > replies.length) {
          const more = await getJson(call, `${base}/youtube/v3/comments?${new URLSearchParams({ part: 'snippet', parentId: top.externalId, maxResults: '100', textFormat: 'plainText' }).toString()}`, 'YouTube');
          replies = isRecord(more) ? arr(more.items) : replies;
        }
        for (const r of replies) {
          const reply = commentOf(r, postId, top.externalId);
          if (reply && reply.publishedAt.getTime() >= since) out.push(reply);
        }
      }
      pageToken = isRecord(body) ? str(body.nextPageToken) : undefined;
      if (older || !pageToken) break;
    }
    return { comments: out, cursor: newestCursor(out, cursor) };
  }
}
