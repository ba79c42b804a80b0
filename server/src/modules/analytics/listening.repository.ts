import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { CommentKind, CommentSentiment, SpikeEvidence, SpikeKind, SpikeSeverity } from './listening.tables.js';
import './listening.tables.js';

export interface NewComment {
  orgId: string;
  channelId: string;
  network: string;
  externalId: string;
  parentExternalId: string | null;
  deliveryId: string | null;
  messageId: string | null;
  kind: CommentKind;
  body: string;
  authorHandle: string | null;
  publishedAt: Date;
  lang: string;
  sentiment: CommentSentiment;
  score: number | null;
  method: string;
}

export interface CommentQuery {
  messageId?: string;
  sentiment?: CommentSentiment;
  network?: string;
  lang?: string;
  q?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Keyset: the (published_at, id) of the last row of the previous page. */
  before?: { at: Date; id: string };
}

/** One hour of one (organisation, message) group, counted back from the sweep's `now`. */
export interface HourCount {
  org_id: string;
  message_id: string | null;
  hour: number;
  total: number;
  negative: number;
  scored: number;
}

export interface NewAlert {
  orgId: string;
  messageId: string | null;
  kind: SpikeKind;
  severity: SpikeSeverity;
  windowStart: Date;
  observed: number;
  baseline: number;
  threshold: number;
  evidence: SpikeEvidence;
}

const COMMENT_COLUMNS = ['id', 'org_id', 'channel_id', 'network', 'external_id', 'parent_external_id', 'delivery_id', 'message_id', 'kind', 'body', 'author_handle', 'published_at', 'lang', 'sentiment', 'sentiment_score', 'sentiment_method'] as const;

@Injectable()
export class ListeningRepository {
  constructor(private readonly tx: Transactor) {}

  /**
   * Insert, or only complete what a mention read first lacked: the message link, and that it is
   * a reply to our post (the post's comment read knows; the mention read cannot tell). A
   * comment is never stored twice, whichever read comes first.
   */
  async insertComments(rows: readonly NewComment[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { rows: inserted } = await sql<{ inserted: boolean }>`
      INSERT INTO listening_comments (org_id, channel_id, network, external_id, parent_external_id, delivery_id, message_id, kind, body, author_handle, published_at, lang, sentiment, sentiment_score, sentiment_method)
      SELECT * FROM unnest(${rows.map((r) => r.orgId)}::uuid[], ${rows.map((r) => r.channelId)}::uuid[], ${rows.map((r) => r.network)}::text[], ${rows.map((r) => r.externalId)}::text[],
        ${rows.map((r) => r.parentExternalId)}::text[], ${rows.map((r) => r.deliveryId)}::uuid[], ${rows.map((r) => r.messageId)}::uuid[], ${rows.map((r) => r.kind)}::text[],
        ${rows.map((r) => r.body)}::text[], ${rows.map((r) => r.authorHandle)}::text[], ${rows.map((r) => r.publishedAt.toISOString())}::timestamptz[], ${rows.map((r) => r.lang)}::text[],
        ${rows.map((r) => r.sentiment)}::text[], ${rows.map((r) => r.score)}::real[], ${rows.map((r) => r.method)}::text[])
      ON CONFLICT (network, channel_id, external_id) DO UPDATE
        SET delivery_id = COALESCE(listening_comments.delivery_id, EXCLUDED.delivery_id), message_id = COALESCE(listening_comments.message_id, EXCLUDED.message_id),
          kind = CASE WHEN EXCLUDED.kind = 'comment' THEN 'comment' ELSE listening_comments.kind END
        WHERE (listening_comments.message_id IS NULL AND EXCLUDED.message_id IS NOT NULL) OR (listening_comments.kind = 'mention' AND EXCLUDED.kind = 'comment')
      RETURNING (xmax = 0) AS inserted`.execute(this.tx.current());
    return inserted.filter((r) => r.inserted).length;
  }

  async ensureCursor(scope: string, orgId: string): Promise<{ cursor: string | null; next_poll_at: Date }> {
    await this.tx.current().insertInto('listening_cursors').values({ scope, org_id: orgId }).onConflict((oc) => oc.column('scope').doNothing()).execute();
    return this.tx.current().selectFrom('listening_cursors').select(['cursor', 'next_poll_at']).where('scope', '=', scope).executeTakeFirstOrThrow();
  }

  /**
   * Claims the due scopes (of those given), creating missing ones as due now: each claimed
   * scope's next poll moves to `lease`, so the next sweep does not plan it again while its job
   * waits; the poll sets the real next time.
   */
  async claimDue(scopes: ReadonlyArray<{ scope: string; orgId: string }>, now: Date, lease: Date): Promise<Set<string>> {
    if (scopes.length === 0) return new Set();
    await sql`
      INSERT INTO listening_cursors (scope, org_id, next_poll_at)
      SELECT * FROM unnest(${scopes.map((s) => s.scope)}::text[], ${scopes.map((s) => s.orgId)}::uuid[], ${scopes.map(() => now.toISOString())}::timestamptz[])
      ON CONFLICT (scope) DO NOTHING`.execute(this.tx.current());
    const { rows } = await sql<{ scope: string }>`
      UPDATE listening_cursors SET next_poll_at = ${lease}
      WHERE scope = ANY(${scopes.map((s) => s.scope)}::text[]) AND next_poll_at <= ${now}
      RETURNING scope`.execute(this.tx.current());
    return new Set(rows.map((r) => r.scope));
  }

  async saveCursor(scope: string, p: { cursor?: string | null; nextPollAt: Date; error: string | null; polledAt: Date | null }): Promise<void> {
    await this.tx
      .current()
      .updateTable('listening_cursors')
      .set({ ...(p.cursor !== undefined ? { cursor: p.cursor } : {}), next_poll_at: p.nextPollAt, last_error: p.error?.slice(0, 2000) ?? null, ...(p.polledAt ? { polled_at: p.polledAt } : {}) })
      .where('scope', '=', scope)
      .execute();
  }

  /** Personal-data minimisation: handles older than the retention become null, stamped. */
  async clearHandles(before: Date): Promise<number> {
    const r = await this.tx.current().updateTable('listening_comments').set({ author_handle: null, author_cleared_at: sql<Date>`now()` }).where('author_handle', 'is not', null).where('ingested_at', '<', before).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Search under row-level security: full text ('simple' configuration, every language alike)
   * OR a trigram match on the body (substrings, transliteration variants, typos).
   */
  async listComments(orgId: string, q: CommentQuery) {
    let query = this.tx
      .current()
      .selectFrom('listening_comments')
      .select([...COMMENT_COLUMNS])
      .where(sql<boolean>`org_path @> ARRAY[${orgId}::uuid]`)
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit);
    if (q.messageId) query = query.where('message_id', '=', q.messageId);
    if (q.sentiment) query = query.where('sentiment', '=', q.sentiment);
    if (q.network) query = query.where('network', '=', q.network);
    if (q.lang) query = query.where('lang', '=', q.lang);
    if (q.from) query = query.where('published_at', '>=', q.from);
    if (q.to) query = query.where('published_at', '<', q.to);
    if (q.before) query = query.where(sql<boolean>`(published_at, id) < (${q.before.at}, ${q.before.id}::uuid)`);
    if (q.q) query = query.where(sql<boolean>`(tsv @@ plainto_tsquery('simple', ${q.q}) OR body ILIKE ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`);
    return query.execute();
  }

  /** Counts per sentiment for the same filters (without paging): the console's summary bar. */
  async sentimentCounts(orgId: string, messageId: string | undefined): Promise<Record<string, number>> {
    let query = this.tx.current().selectFrom('listening_comments').select(['sentiment', sql<number>`count(*)::int`.as('n')]).where(sql<boolean>`org_path @> ARRAY[${orgId}::uuid]`).groupBy('sentiment');
    if (messageId) query = query.where('message_id', '=', messageId);
    const rows = await query.execute();
    return Object.fromEntries(rows.map((r) => [r.sentiment, r.n]));
  }

  /** Hourly counts of the last 13 hours (hour 0 is the latest), per organisation and message. */
  async hourCounts(now: Date): Promise<HourCount[]> {
    const { rows } = await sql<HourCount>`
      SELECT org_id, message_id, floor(extract(epoch FROM (${now}::timestamptz - published_at)) / 3600)::int AS hour,
        count(*)::int AS total, count(*) FILTER (WHERE sentiment = 'negative')::int AS negative,
        count(*) FILTER (WHERE sentiment <> 'unsupported')::int AS scored
      FROM listening_comments
      WHERE published_at > ${now}::timestamptz - interval '13 hours' AND published_at <= ${now}::timestamptz
      GROUP BY 1, 2, 3`.execute(this.tx.current());
    return rows;
  }

  /** The last hour's comments of a group, for an alert's evidence. */
  async lastHour(orgId: string, messageId: string | null, now: Date) {
    return this.tx
      .current()
      .selectFrom('listening_comments')
      .select(['id', 'network', 'body', 'sentiment', 'published_at'])
      .where('org_id', '=', orgId)
      .where(messageId === null ? sql<boolean>`message_id IS NULL` : sql<boolean>`message_id = ${messageId}::uuid`)
      .where('published_at', '>', new Date(now.getTime() - 3_600_000))
      .where('published_at', '<=', now)
      .orderBy('published_at', 'desc')
      .limit(500)
      .execute();
  }

  async settingsOf(orgIds: readonly string[]) {
    if (orgIds.length === 0) return [];
    return this.tx.current().selectFrom('listening_settings').select(['org_id', 'spike_k', 'negative_jump', 'min_comments']).where('org_id', 'in', [...orgIds]).execute();
  }

  async upsertSettings(orgId: string, s: { spikeK: number; negativeJump: number; minComments: number }) {
    return this.tx
      .current()
      .insertInto('listening_settings')
      .values({ org_id: orgId, spike_k: s.spikeK, negative_jump: s.negativeJump, min_comments: s.minComments })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ spike_k: s.spikeK, negative_jump: s.negativeJump, min_comments: s.minComments, updated_at: sql<Date>`now()` }))
      .returning(['org_id', 'spike_k', 'negative_jump', 'min_comments', 'updated_at'])
      .executeTakeFirstOrThrow();
  }

  /**
   * Raised once: nothing when the same (organisation, message, kind) has an alert for this
   * window or the one before (a spike that lasts is one episode), else a new row.
   */
  async raiseAlert(a: NewAlert) {
    const { rows } = await sql<{ id: string; created_at: Date }>`
      INSERT INTO listening_spike_alerts (org_id, message_id, kind, severity, window_start, observed, baseline, threshold, evidence)
      SELECT ${a.orgId}::uuid, ${a.messageId}::uuid, ${a.kind}, ${a.severity}, ${a.windowStart}::timestamptz, ${a.observed}, ${a.baseline}, ${a.threshold}, ${JSON.stringify(a.evidence)}::jsonb
      WHERE NOT EXISTS (
        SELECT 1 FROM listening_spike_alerts
        WHERE org_id = ${a.orgId}::uuid AND message_id IS NOT DISTINCT FROM ${a.messageId}::uuid AND kind = ${a.kind}
          AND window_start >= ${a.windowStart}::timestamptz - interval '1 hour')
      ON CONFLICT ON CONSTRAINT listening_spike_alerts_once DO NOTHING
      RETURNING id, created_at`.execute(this.tx.current());
    return rows[0];
  }

  async listAlerts(orgId: string, p: { limit: number; messageId?: string; open?: boolean }) {
    let query = this.tx
      .current()
      .selectFrom('listening_spike_alerts')
      .selectAll()
      .where(sql<boolean>`org_path @> ARRAY[${orgId}::uuid]`)
      .orderBy('created_at', 'desc')
      .limit(p.limit);
    if (p.messageId) query = query.where('message_id', '=', p.messageId);
    if (p.open) query = query.where('acknowledged_at', 'is', null);
    return query.execute();
  }

  async alert(id: string) {
    return this.tx.current().selectFrom('listening_spike_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async acknowledge(id: string, by: string) {
    return this.tx.current().updateTable('listening_spike_alerts').set({ acknowledged_at: sql<Date>`now()`, acknowledged_by: by }).where('id', '=', id).where('acknowledged_at', 'is', null).returningAll().executeTakeFirst();
  }
}
