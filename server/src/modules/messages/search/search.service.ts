import { Injectable } from '@nestjs/common';
import type { MessageFilters } from '../calendar/messages-query.repository.js';
import { MessagesSearchRepository, type SearchRow } from './messages-search.repository.js';
import { parseSearch, snippetParts } from './search-query.js';

export interface SearchRequest extends MessageFilters {
  q: string;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

/** Search: what messages say, in any language, typos forgiven. Read-only. */
@Injectable()
export class SearchService {
  constructor(private readonly repo: MessagesSearchRepository) {}

  /** The best `limit` messages for a search, one per message, with a highlighted excerpt. */
  async search(req: SearchRequest) {
    const text = parseSearch(req.q);
    const rows = await this.repo.search({ ...text, from: req.from, to: req.to }, req, req.limit);
    return { items: rows.map(searchResult) };
  }
}

function searchResult(r: SearchRow) {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    orgId: r.org_id,
    campaignId: r.campaign_id,
    channels: r.channels,
    languages: r.languages,
    tags: r.tags,
    scheduledAt: r.scheduled_at?.toISOString() ?? null,
    match: { language: r.language, channel: r.channel || null, exact: r.exact, score: Math.round(r.score * 1e4) / 1e4, snippet: snippetParts(r.headline) },
  };
}

