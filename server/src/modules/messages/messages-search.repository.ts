import { Injectable } from '@nestjs/common';
import { sql, type Expression, type SqlBool } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { MessageStatus } from './message-status.js';
import { filterConditions, type MessageFilters } from './messages-query.repository.js';
import './messages.tables.js';
import { MATCH_END, MATCH_START } from './search-query.js';

export interface SearchRow {
  id: string;
  org_id: string;
  campaign_id: string | null;
  title: string;
  status: MessageStatus;
  channels: string[];
  languages: string[];
  tags: string[];
  scheduled_at: Date | null;
  language: string;
  channel: string;
  exact: boolean;
  score: number;
  headline: string;
}

/**
 * Word similarity at which a body word counts as a typo of the query: one substituted letter in
 * a six-letter word scores 0.57 ("sammit" / "summit"), one dropped letter in an eight-letter word
 * 0.67 ("diplomcy"), while unrelated words that share an ending stay below ("trade" / "grade" 0.5
 * is the edge). Set per transaction so the server's postgresql.conf cannot change what is found.
 */
const WORD_SIMILARITY = 0.55;
/** A body word is highlighted as the typo's match at this similarity to a query word. */
const HIGHLIGHT_SIMILARITY = 0.4;
const HEADLINE_OPTIONS = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** Full-text and typo-tolerant search over the current texts of messages. */
@Injectable()
export class MessagesSearchRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /**
   * Full-text matches (websearch syntax, 'simple' configuration: no stemming, so Devanagari and
   * Latin are tokenised alike) or, for typos, trigram word similarity, over the current version's
   * texts; one result per message (its best-matching text), best first, with a marked excerpt.
   * Exact matches score 1 + ts_rank, similar ones their similarity (< 1), so a typo's hits never
   * outrank a real match: when the exact matches alone fill `limit`, the similarity pass is
   * skipped, with the same result.
   *
   * Under row-level security PostgreSQL uses an index only for leakproof operators, and neither
   * `@@` nor pg_trgm's `%>` is: both GIN indexes of message_texts are bypassed and every text
   * of the tenant is read (see bench/README.md, `messages`). The similarity pass is the costly one.
   */
  async search(q: { text: string; fuzzy: string | null; excluded: string | null; words: string[]; from?: Date | undefined; to?: Date | undefined }, f: MessageFilters, limit: number): Promise<SearchRow[]> {
    // One round trip: the trigram threshold for this transaction, and the queries parsed once,
    // so the main statement carries them as constants rather than re-parsing them per row.
    const prep = await sql<{ tsq: string; excluded: string | null }>`
      SELECT websearch_to_tsquery('simple', ${q.text})::text AS tsq,
             websearch_to_tsquery('simple', ${q.excluded})::text AS excluded,
             set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true) AS threshold`.execute(this.db);
    const tsq = prep.rows[0]?.tsq ?? '';
    const excluded = prep.rows[0]?.excluded ?? '';
    const conditions = filterConditions(f, 'm');
    if (q.from) conditions.push(sql<SqlBool>`m.scheduled_at >= ${q.from}`);
    if (q.to) conditions.push(sql<SqlBool>`m.scheduled_at < ${q.to}`);
    if (tsq !== '') {
      const exact = await this.ranked(tsq, null, '', q.words, conditions, limit);
      if (exact.length >= limit || q.fuzzy === null) return exact;
    }
    if (q.fuzzy === null) return [];
    return this.ranked(tsq, q.fuzzy, excluded, q.words, conditions, limit);
  }

  private async ranked(tsq: string, fuzzy: string | null, excludedTsq: string, words: string[], conditions: Expression<SqlBool>[], limit: number): Promise<SearchRow[]> {
    const query = sql`${tsq}::tsquery`;
    const exact = tsq === '' ? sql<boolean>`false` : sql<boolean>`t.tsv @@ ${query}`;
    // A typo match still honours the query's exclusions ("-paris").
    const notExcluded = excludedTsq ? sql` AND NOT t.tsv @@ ${excludedTsq}::tsquery` : sql``;
    const matches = fuzzy === null ? exact : sql<boolean>`(${exact} OR (t.body %> ${fuzzy}${notExcluded}))`;
    const similarity = fuzzy === null ? sql`0` : sql`word_similarity(${fuzzy}, t.body)`;
    const where = conditions.length ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``;
    // Body words similar to a query word, as a tsquery, so ts_headline also marks what a typo found.
    const fuzzyHighlight =
      fuzzy === null
        ? sql`''::tsquery`
        : sql`coalesce((SELECT websearch_to_tsquery('simple', string_agg(u.lexeme, ' or '))
                          FROM unnest(t.tsv) u
                          WHERE EXISTS (SELECT 1 FROM unnest(${words}::text[]) w WHERE similarity(u.lexeme, w) >= ${HIGHLIGHT_SIMILARITY})), ''::tsquery)`;

    const { rows } = await sql<SearchRow>`
      WITH hits AS (
        SELECT DISTINCT ON (t.message_id) t.message_id, t.language, t.channel, ${exact} AS exact,
               CASE WHEN ${exact} THEN 1 + ts_rank(t.tsv, ${query}) ELSE ${similarity} END AS score
        FROM message_texts t
        JOIN messages m ON m.id = t.message_id
        WHERE ${matches} ${where}
        ORDER BY t.message_id, score DESC, t.language, t.channel
      ), best AS (
        SELECT * FROM hits ORDER BY score DESC, message_id LIMIT ${limit}
      )
      SELECT m.id, m.org_id, m.campaign_id, m.title, m.status, m.channels, m.languages, m.tags, m.scheduled_at,
             b.language, b.channel, b.exact, b.score::float8 AS score,
             ts_headline('simple', translate(t.body, ${MATCH_START + MATCH_END}, ''), ${query} || ${fuzzyHighlight}, ${HEADLINE_OPTIONS}) AS headline
      FROM best b
      JOIN messages m ON m.id = b.message_id
      JOIN message_texts t ON t.message_id = b.message_id AND t.language = b.language AND t.channel = b.channel
      ORDER BY b.score DESC, b.message_id`.execute(this.db);
    return rows;
  }
}
