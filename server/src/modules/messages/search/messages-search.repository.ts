import { Injectable } from '@nestjs/common';
import { sql, type Expression, type SqlBool } from 'kysely';
import { Transactor } from '../../../platform/database/transactor.js';
import type { MessageStatus } from '../message-status.js';
import { filterConditions, type MessageFilters } from '../calendar/messages-query.repository.js';
import '../messages.tables.js';
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
 * Trigram similarity at which a vocabulary word counts as a typo of a query word: one dropped
 * letter in an eight-letter word scores 0.58 ("diplomcy" / "diplomacy"), one substituted letter
 * in a six-letter word 0.4 ("sammit" / "summit"); unrelated words sharing an ending stay below
 * ("trade" / "grade" 0.33).
 */
const MIN_SIMILARITY = 0.4;
/** The closest vocabulary words taken per query word: bounds the full-text query a typo becomes. */
const WORDS_PER_TYPO = 8;
const HEADLINE_OPTIONS = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Full-text search over the current texts of messages, typo-tolerant; one result per message
 * (its best-matching text), best first, with a marked excerpt.
 *
 * Candidates come from SECURITY DEFINER functions (migration 0007) that use the GIN indexes and
 * apply the subtree rule themselves: under row-level security PostgreSQL cannot use an index for
 * `@@` or `%` (not leakproof) and read every text. Every candidate is then joined to `messages`
 * and `message_texts` under their row policies, so visibility is still decided by RLS.
 */
@Injectable()
export class MessagesSearchRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /**
   * Exact matches (websearch syntax, 'simple' configuration: no stemming, so Devanagari and Latin
   * are tokenised alike) score 1 + ts_rank. When they do not fill `limit`, typos are tried: each
   * query word becomes the closest words of the vocabulary (trigram index), those are searched
   * in full text, and their hits score below 1, after every exact hit.
   */
  async search(q: { text: string; fuzzy: string | null; excluded: string | null; words: string[]; from?: Date | undefined; to?: Date | undefined }, f: MessageFilters, limit: number): Promise<SearchRow[]> {
    const prep = await sql<{ tsq: string; excluded: string }>`
      SELECT websearch_to_tsquery('simple', ${q.text})::text AS tsq, websearch_to_tsquery('simple', ${q.excluded ?? ''})::text AS excluded`.execute(this.db);
    const tsq = prep.rows[0]?.tsq ?? '';
    const excluded = prep.rows[0]?.excluded ?? '';
    const conditions = filterConditions(f, 'm');
    if (q.from) conditions.push(sql<SqlBool>`m.scheduled_at >= ${q.from}`);
    if (q.to) conditions.push(sql<SqlBool>`m.scheduled_at < ${q.to}`);
    const exact = tsq === '' ? [] : await this.ranked(sql`${tsq}::tsquery`, false, conditions, limit);
    if (exact.length >= limit || q.fuzzy === null) return exact;

    const similar = await sql<{ query_word: string; word: string }>`
      SELECT query_word, word FROM guddu_similar_words(${q.words}::text[], ${MIN_SIMILARITY}, ${WORDS_PER_TYPO})`.execute(this.db);
    // Every query word must be matched by one of its look-alikes; a word with none finds nothing.
    const groups = q.words.map((w) => similar.rows.filter((r) => r.query_word === w).map((r) => r.word));
    if (groups.some((g) => g.length === 0)) return exact;
    const anyOf = (g: string[]) => sql`(${sql.join(g.map((w) => sql`plainto_tsquery('simple', ${w})`), sql` || `)})`;
    let typoQuery = sql.join(groups.map(anyOf), sql` && `);
    if (excluded) typoQuery = sql`(${typoQuery}) && !!${excluded}::tsquery`;
    const seen = new Set(exact.map((r) => r.id));
    const typos = (await this.ranked(typoQuery, true, conditions, limit)).filter((r) => !seen.has(r.id));
    return [...exact, ...typos].slice(0, limit);
  }

  private async ranked(query: Expression<unknown>, typo: boolean, conditions: Expression<SqlBool>[], limit: number): Promise<SearchRow[]> {
    const where = conditions.length ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``;
    // Exact hits rank above 1, typo hits in [0, 1): a typo never outranks a real match.
    const score = typo ? sql`c.rank / (1 + c.rank)` : sql`1 + c.rank`;
    const { rows } = await sql<SearchRow>`
      WITH q AS (SELECT ${query} AS tsq),
      hits AS (
        SELECT DISTINCT ON (c.message_id) c.message_id, c.language, c.channel, ${score} AS score
        FROM q CROSS JOIN LATERAL guddu_search_texts(q.tsq) c
        JOIN messages m ON m.id = c.message_id
        WHERE true ${where}
        ORDER BY c.message_id, score DESC, c.language, c.channel
      ), best AS (
        SELECT * FROM hits ORDER BY score DESC, message_id LIMIT ${limit}
      )
      SELECT m.id, m.org_id, m.campaign_id, m.title, m.status, m.channels, m.languages, m.tags, m.scheduled_at,
             b.language, b.channel, ${typo ? sql`false` : sql`true`} AS exact, b.score::float8 AS score,
             ts_headline('simple', translate(t.body, ${MATCH_START + MATCH_END}, ''), q.tsq, ${HEADLINE_OPTIONS}) AS headline
      FROM q, best b
      JOIN messages m ON m.id = b.message_id
      JOIN message_texts t ON t.message_id = b.message_id AND t.language = b.language AND t.channel = b.channel
      ORDER BY b.score DESC, b.message_id`.execute(this.db);
    return rows;
  }
}
