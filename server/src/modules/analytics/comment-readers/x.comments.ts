import type { ProviderCall } from '../../publishing/network-reads.port.js';
import { type CommentBatch, type CommentReader, type FetchedComment, MAX_PAGES_PER_READ, newestCursor, sinceOf } from './comment-reader.js';
import { arr, getJson, isRecord, str } from './reader-http.js';

const WEEK_MS = 7 * 86_400_000;
const FIELDS = 'author_id,created_at,conversation_id,in_reply_to_user_id,referenced_tweets';

/**
 * X has no comment list: replies share the root's `conversation_id` and are found by recent
 * search (7 days only, contract §14), newest first; mentions come from the user's mentions
 * timeline (the 800 newest). Both are read back to the cursor's time.
 */
export class XCommentReader implements CommentReader {
  readonly network = 'x' as const;

  readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    const q = { query: `conversation_id:${postId}`, max_results: '100', 'tweet.fields': FIELDS, expansions: 'author_id' };
    return this.walk(call, '/2/tweets/search/recent', q, cursor, 'next_token', postId);
  }

  readMentions(call: ProviderCall, cursor: string | null): Promise<CommentBatch> {
    const q = { max_results: '100', 'tweet.fields': FIELDS, expansions: 'author_id' };
    return this.walk(call, `/2/users/${encodeURIComponent(call.credentials.channel.accountId)}/mentions`, q, cursor, 'pagination_token', null);
  }

  private async walk(call: ProviderCall, path: string, query: Record<string, string>, cursor: string | null, pageParam: string, root: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    // Recent search refuses a start_time older than its 7 days; the cursor may be.
    const start = Number.isFinite(since) ? Math.max(since, Date.now() - WEEK_MS + 60_000) : undefined;
    const out: FetchedComment[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_READ; page += 1) {
      const q = new URLSearchParams({ ...query, ...(start ? { start_time: new Date(start).toISOString() } : {}), ...(token ? { [pageParam]: token } : {}) });
      const body = await getJson(call, `${call.credentials.channel.baseUrl}${path}?${q.toString()}`, 'X');
      const users = new Map<string, string>();
      for (const u of isRecord(body) && isRecord(body.includes) ? arr(body.includes.users) : []) if (isRecord(u) && str(u.id) && str(u.username)) users.set(u.id as string, u.username as string);
      const data = isRecord(body) ? arr(body.data) : [];
      let older = false;
      for (const t of data) {
        if (!isRecord(t)) continue;
        const id = str(t.id);
        const at = Date.parse(str(t.created_at) ?? '');
        if (!id || Number.isNaN(at)) continue;
        if (at < since) {
          older = true;
          continue;
        }
        const replied = arr(t.referenced_tweets).find((r) => isRecord(r) && r.type === 'replied_to');
        const author = str(t.author_id);
        out.push({
          externalId: id,
          parentExternalId: isRecord(replied) ? (str(replied.id) ?? null) : null,
          rootExternalId: root ?? str(t.conversation_id) ?? null,
          text: str(t.text) ?? '',
          authorHandle: author ? (users.get(author) ?? author) : null,
          publishedAt: new Date(at),
        });
      }
      token = isRecord(body) && isRecord(body.meta) ? str(body.meta.next_token) : undefined;
      if (older || !token) break;
    }
    return { comments: out, cursor: newestCursor(out, cursor) };
  }
}
