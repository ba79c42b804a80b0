import type { ProviderCall } from '../../publishing/network-reads.port.js';
import { type CommentBatch, type CommentReader, type FetchedComment, MAX_PAGES_PER_READ } from './comment-reader.js';
import { arr, getJson, isRecord, str } from './reader-http.js';

const PAGE = 100;
/** Re-read a few before the offset: a deleted comment shifts the ones after it back. */
const OVERLAP = 5;

/** LinkedIn's versions are months, retired after a year; last month's is always live. */
function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * LinkedIn: `/rest/socialActions/{post urn}/comments`, oldest first, paged by start/count with
 * a total; the cursor is how many have been read (an offset, not a time). Member posts need
 * the restricted r_member_social and answer 403 without it (a permission failure, not retried).
 */
export class LinkedInCommentReader implements CommentReader {
  readonly network = 'linkedin' as const;

  async readComments(call: ProviderCall, postId: string, cursor: string | null): Promise<CommentBatch> {
    let start = Math.max(0, (Number(cursor ?? 0) || 0) - OVERLAP);
    const headers = { 'linkedin-version': lastMonth(), 'x-restli-protocol-version': '2.0.0' };
    const out: FetchedComment[] = [];
    for (let page = 0; page < MAX_PAGES_PER_READ; page += 1) {
      const body = await getJson(call, `${call.credentials.channel.baseUrl}/rest/socialActions/${encodeURIComponent(postId)}/comments?start=${start}&count=${PAGE}`, 'LinkedIn', headers);
      const elements = isRecord(body) ? arr(body.elements) : [];
      for (const c of elements) {
        if (!isRecord(c)) continue;
        const id = str(c.commentUrn) ?? str(c.id);
        const time = isRecord(c.created) && typeof c.created.time === 'number' ? c.created.time : undefined;
        if (!id || time === undefined) continue;
        out.push({
          externalId: id,
          parentExternalId: str(c.parentComment) ?? str(c.object) ?? postId,
          rootExternalId: postId,
          text: isRecord(c.message) ? (str(c.message.text) ?? '') : '',
          authorHandle: str(c.actor) ?? null,
          publishedAt: new Date(time),
        });
      }
      start += elements.length;
      const total = isRecord(body) && isRecord(body.paging) && typeof body.paging.total === 'number' ? body.paging.total : start;
      if (elements.length < PAGE || start >= total) break;
    }
    return { comments: out, cursor: String(start) };
  }
}
