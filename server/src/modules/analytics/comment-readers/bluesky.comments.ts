import { ProviderError, type ProviderCall } from '../../publishing/network-reads.port.js';
import { type CommentBatch, type CommentReader, type FetchedComment, MAX_PAGES_PER_READ, newestCursor, sinceOf } from './comment-reader.js';
import { arr, type Classify, getJson, isRecord, str } from './reader-http.js';

/** XRPC names its auth failures in the body with a 400 (as the publishing provider reads them). */
const xrpcClassify: Classify = (status, body) => {
  const error = isRecord(body) ? str(body.error) : undefined;
  if (error === 'ExpiredToken') return new ProviderError('auth_expired', 'Bluesky: the session expired', { httpStatus: status, vendorCode: error });
  if (error === 'InvalidToken' || error === 'AccountTakedown') return new ProviderError('revoked', 'Bluesky no longer accepts this session; sign the account in again', { httpStatus: status, vendorCode: error });
  return undefined;
};

function postOf(view: unknown, root: string | null): FetchedComment | undefined {
  if (!isRecord(view)) return undefined;
  const uri = str(view.uri);
  const record = isRecord(view.record) ? view.record : undefined;
  const at = Date.parse(str(record?.createdAt) ?? str(view.indexedAt) ?? '');
  if (!uri || !record || Number.isNaN(at)) return undefined;
  const reply = isRecord(record.reply) ? record.reply : undefined;
  const parent = reply && isRecord(reply.parent) ? str(reply.parent.uri) : undefined;
  const threadRoot = reply && isRecord(reply.root) ? str(reply.root.uri) : undefined;
  return { externalId: uri, parentExternalId: parent ?? null, rootExternalId: root ?? threadRoot ?? null, text: str(record.text) ?? '', authorHandle: isRecord(view.author) ? (str(view.author.handle) ?? null) : null, publishedAt: new Date(at) };
}

/**
 * Bluesky: `getPostThread` gives the reply tree (no cursor; depth bounds it), walked here;
 * `notFoundPost`/`blockedPost` nodes are skipped. Mentions and replies from elsewhere come
 * from `listNotifications`, newest first, paged by cursor.
 */
export class BlueskyCommentReader implements CommentReader {
  readonly network = 'bluesky' as const;

  async readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const body = await getJson(call, `${call.credentials.channel.baseUrl}/xrpc/app.bsky.feed.getPostThread?${new URLSearchParams({ uri: postId, depth: '20', parentHeight: '0' }).toString()}`, 'Bluesky', {}, xrpcClassify);
    const out: FetchedComment[] = [];
    const walk = (node: unknown): void => {
      if (!isRecord(node)) return;
      for (const child of arr(node.replies)) {
        if (!isRecord(child) || !isRecord(child.post)) continue; // notFoundPost, blockedPost
        const c = postOf(child.post, postId);
        if (c && c.publishedAt.getTime() >= since) out.push(c);
        walk(child);
      }
    };
    walk(isRecord(body) ? body.thread : undefined);
    return { comments: out, cursor: newestCursor(out, cursor) };
  }

  async readMentions(call: ProviderCall, cursor: string | null): Promise<CommentBatch> {
    const since = sinceOf(cursor);
    const out: FetchedComment[] = [];
    let page: string | undefined;
    for (let i = 0; i < MAX_PAGES_PER_READ; i += 1) {
      const q = new URLSearchParams([['reasons', 'mention'], ['reasons', 'reply'], ['limit', '100'], ...(page ? [['cursor', page] as [string, string]] : [])] as [string, string][]);
      const body = await getJson(call, `${call.credentials.channel.baseUrl}/xrpc/app.bsky.notification.listNotifications?${q.toString()}`, 'Bluesky', {}, xrpcClassify);
      const items = isRecord(body) ? arr(body.notifications) : [];
      let older = false;
      for (const n of items) {
        if (!isRecord(n)) continue;
        const c = postOf(n, null);
        if (!c) continue;
        if (c.publishedAt.getTime() < since) {
          older = true;
          continue;
        }
        out.push(c);
      }
      page = isRecord(body) ? str(body.cursor) : undefined;
      if (older || !page || items.length === 0) break;
    }
    return { comments: out, cursor: newestCursor(out, cursor) };
  }
}
