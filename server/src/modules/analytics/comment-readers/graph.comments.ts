import { ProviderError, type ProviderCall } from '../../publishing/network-reads.port.js';
import { type CommentBatch, type CommentReader, type FetchedComment, MAX_PAGES_PER_READ, newestCursor, sinceOf } from './comment-reader.js';
import { arr, type Classify, getJson, isRecord, sameOrigin, str } from './reader-http.js';

/** Graph answers 400 with a numeric code for most failures (contract §1.5): map the code, not the status. */
const graphClassify: Classify = (status, body) => {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  if (code === undefined) return undefined;
  const message = str(error?.message) ?? `code ${code}`;
  if (code === 190 || code === 102) return new ProviderError('auth_expired', `Meta refused the token: ${message}`, { httpStatus: status, vendorCode: String(code) });
  if ([4, 17, 32, 613, 80001, 80002].includes(code)) return new ProviderError('rate_limited', `Meta asked Guddu to slow down: ${message}`, { httpStatus: status, vendorCode: String(code), retryAt: new Date(Date.now() + 15 * 60_000) });
  if (code === 10 || code === 200 || code === 3) return new ProviderError('permission', `Meta does not let this account read comments: ${message}`, { httpStatus: status, vendorCode: String(code) });
  return undefined;
};

function graphTime(value: unknown): Date | undefined {
  const raw = str(value);
  if (!raw) return undefined;
  // Graph writes +0000 without a colon, which Date.parse reads on V8 but not everywhere.
  const t = Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : new Date(t);
}

/**
 * Facebook Page posts: `/{post}/comments?filter=stream` (every comment, flat, with its parent),
 * newest first, paged by `after` until the cursor's time. A comment without an id (the token
 * cannot MODERATE the Page) cannot be kept apart from the others, so it is skipped.
 */
export class FacebookCommentReader implements CommentReader {
  readonly network = 'facebook' as const;

  async readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const out: FetchedComment[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_READ; page += 1) {
      const q = new URLSearchParams({ filter: 'stream', order: 'reverse_chronological', fields: 'id,message,created_time,from,parent', limit: '100', ...(after ? { after } : {}) });
      const body = await getJson(call, `${call.credentials.channel.baseUrl}/${encodeURIComponent(postId)}/comments?${q.toString()}`, 'Facebook', {}, graphClassify);
      const data = isRecord(body) ? arr(body.data) : [];
      let older = false;
      for (const c of data) {
        if (!isRecord(c)) continue;
        const at = graphTime(c.created_time);
        const id = str(c.id);
        if (!at) continue;
        if (at.getTime() < since) {
          older = true;
          continue;
        }
        if (!id) continue;
        out.push({ externalId: id, parentExternalId: isRecord(c.parent) ? (str(c.parent.id) ?? postId) : postId, rootExternalId: postId, text: str(c.message) ?? '', authorHandle: isRecord(c.from) ? (str(c.from.name) ?? null) : null, publishedAt: at });
      }
      const next = isRecord(body) && isRecord(body.paging) ? body.paging : undefined;
      after = next && isRecord(next.cursors) && str(next.next) ? str(next.cursors.after) : undefined;
      if (older || !after || data.length === 0) break;
    }
    return { comments: out, cursor: newestCursor(out, cursor) };
  }
}

/**
 * Instagram media: `/{media}/comments` (top level) with `replies` asked for inline; the API has
 * no time filter, so the cursor's time filters what is kept.
 */
export class InstagramCommentReader implements CommentReader {
  readonly network = 'instagram' as const;

  async readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const out: FetchedComment[] = [];
    let url: string | undefined = `${call.credentials.channel.baseUrl}/${encodeURIComponent(postId)}/comments?${new URLSearchParams({ fields: 'id,text,timestamp,username,from,parent_id,replies{id,text,timestamp,username,from,parent_id}', limit: '50' }).toString()}`;
    for (let page = 0; page < MAX_PAGES_PER_READ && url; page += 1) {
      const body = await getJson(call, url, 'Instagram', {}, graphClassify);
      const data = isRecord(body) ? arr(body.data) : [];
      for (const c of data) {
        if (!isRecord(c)) continue;
        const replies = isRecord(c.replies) ? arr(c.replies.data) : [];
        for (const item of [c, ...replies]) {
          if (!isRecord(item)) continue;
          const at = graphTime(item.timestamp);
          const id = str(item.id);
          if (!at || !id || at.getTime() < since) continue;
          const author = isRecord(item.from) ? str(item.from.username) : str(item.username);
          out.push({ externalId: id, parentExternalId: str(item.parent_id) ?? (item === c ? postId : (str(c.id) ?? postId)), rootExternalId: postId, text: str(item.text) ?? '', authorHandle: author ?? null, publishedAt: at });
        }
      }
      // The next page is a full URL from the answer; our token goes with it, so only to the network's own origin.
      url = sameOrigin(isRecord(body) && isRecord(body.paging) ? str(body.paging.next) : undefined, call.credentials.channel.baseUrl);
    }
    return { comments: out, cursor: newestCursor(out, cursor) };
  }
}
