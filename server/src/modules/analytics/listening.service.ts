import { Injectable } from '@nestjs/common';
import { ListeningRepository, type CommentQuery } from './listening.repository.js';
import type { CommentSentiment } from './listening.tables.js';
import { parseCursor } from './listening.views.js';

export interface CommentFilters {
  messageId?: string;
  sentiment?: CommentSentiment;
  network?: string;
  lang?: string;
  q?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** The read side of listening: comments as the caller's organisation sees them (row-level security). */
@Injectable()
export class ListeningService {
  constructor(private readonly repo: ListeningRepository) {}

  async comments(orgId: string, f: CommentFilters) {
    const before = parseCursor(f.cursor);
    const q: CommentQuery = {
      limit: f.limit,
      ...(f.messageId ? { messageId: f.messageId } : {}),
      ...(f.sentiment ? { sentiment: f.sentiment } : {}),
      ...(f.network ? { network: f.network } : {}),
      ...(f.lang ? { lang: f.lang } : {}),
      ...(f.q ? { q: f.q } : {}),
      ...(f.from ? { from: new Date(f.from) } : {}),
      ...(f.to ? { to: new Date(f.to) } : {}),
      ...(before ? { before } : {}),
    };
    const [rows, counts] = await Promise.all([this.repo.listComments(orgId, q), this.repo.sentimentCounts(orgId, f.messageId)]);
    return { rows, counts };
  }
}
