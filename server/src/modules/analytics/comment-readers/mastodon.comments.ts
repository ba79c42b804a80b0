import type { ProviderCall } from '../../publishing/network-reads.port.js';
import { type CommentBatch, type CommentReader, type FetchedComment, newestCursor, plainText, sinceOf } from './comment-reader.js';
import { arr, getJson, isRecord, str } from './reader-http.js';

function statusOf(s: unknown, root: string | null): FetchedComment | undefined {
  if (!isRecord(s)) return undefined;
  const id = str(s.id);
  const at = Date.parse(str(s.created_at) ?? '');
  if (!id || Number.isNaN(at)) return undefined;
  const account = isRecord(s.account) ? s.account : undefined;
  return { externalId: id, parentExternalId: str(s.in_reply_to_id) ?? null, rootExternalId: root, text: plainText(withoutLeadingMentions(str(s.content) ?? '')), authorHandle: account ? (str(account.acct) ?? str(account.username) ?? null) : null, publishedAt: new Date(at) };
}

/**
 * A reply's HTML opens with h-card links to the accounts it answers (Mastodon adds them to every
 * reply). They are addressing, not what the person said: dropped so that the text scored and
 * searched is the same whichever endpoint (context or mention notification) read it first.
 */
const LEADING_MENTIONS = /^(\s*<p>)?(?:\s*<span class="h-card"[^>]*>\s*<a [^>]*class="[^"]*\bmention\b[^"]*"[^>]*>(?:[^<]|<\/?span[^>]*>){0,300}?<\/a>\s*<\/span>)+\s*/;
export function withoutLeadingMentions(html: string): string {
  return html.replace(LEADING_MENTIONS, (_m, p: string | undefined) => p ?? '');
}

/**
 * Mastodon: a status's `context` gives every descendant (flat, with `in_reply_to_id`; no
 * paging), so the cursor's time filters them; mentions are notifications of type `mention`,
 * newest first, whose status carries the reply.
 */
export class MastodonCommentReader implements CommentReader {
  readonly network = 'mastodon' as const;

  async readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const body = await getJson(call, `${call.credentials.channel.baseUrl}/api/v1/statuses/${encodeURIComponent(postId)}/context`, 'Mastodon');
    const out = (isRecord(body) ? arr(body.descendants) : []).map((s) => statusOf(s, postId)).filter((c): c is FetchedComment => c !== undefined && c.publishedAt.getTime() >= since);
    return { comments: out, cursor: newestCursor(out, cursor) };
  }

  async readMentions(call: ProviderCall, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const body = await getJson(call, `${call.credentials.channel.baseUrl}/api/v1/notifications?types[]=mention&limit=80`, 'Mastodon');
    const out: FetchedComment[] = [];
    for (const n of arr(body)) {
      if (!isRecord(n) || n.type !== 'mention') continue;
      // The notification's own account and time stand in when the status omits them.
      const status = isRecord(n.status) ? { ...n.status, account: n.status.account ?? n.account, created_at: n.status.created_at ?? n.created_at } : undefined;
      const c = statusOf(status, null);
      if (!c || c.publishedAt.getTime() < since) continue;
      out.push({ ...c, rootExternalId: c.parentExternalId });
    }
    return { comments: out, cursor: newestCursor(out, cursor) };
  }
}
