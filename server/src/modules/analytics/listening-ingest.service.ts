import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { NETWORK_READS, ProviderError, type Network, type NetworkReadsPort, type PublishedPostRef } from '../publishing/network-reads.port.js';
import type { CommentBatch, FetchedComment } from './comment-readers/comment-reader.js';
import { COMMENT_READERS } from './comment-readers/comment-readers.js';
import { scriptLanguage } from './comments-language.js';
import { ListeningRepository, type NewComment } from './listening.repository.js';
import { SentimentService } from './sentiment/sentiment.service.js';
import './listening.jobs.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Posts are listened to for 30 days; X's recent search reaches back 7 (contract §14). */
export const LISTEN_DAYS = 30;
const X_SEARCH_DAYS = 7;
const PLAN_PAGE = 500;

type PollJob = GudduJobs['listening.poll'];

export interface PollResult {
  scope: string;
  outcome: 'read' | 'waiting' | 'failed' | 'skipped';
  stored: number;
  fetched: number;
}

/**
 * Incremental ingest (decision 0029): the sweep plans which scopes are due, a poll job reads one
 * from its stored cursor through NETWORK_READS (shared rate limits), scores the comments and
 * stores them; a comment is unique per (network, channel, network id), so a re-read, a retried
 * job or a restart mid-poll stores nothing twice. The cursor moves only after the rows commit.
 */
@Injectable()
export class ListeningIngest {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: ListeningRepository,
    private readonly sentiment: SentimentService,
    private readonly jobs: JobQueue,
    @Inject(NETWORK_READS) private readonly reads: NetworkReadsPort,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The poll jobs due now: one per live post within its window, one per channel with mentions. */
  async duePolls(now = new Date()): Promise<PollJob[]> {
    const since = new Date(now.getTime() - LISTEN_DAYS * DAY_MS);
    const posts: PublishedPostRef[] = [];
    for (let afterId: string | undefined; ; ) {
      const page = await this.reads.publishedPosts({ since, limit: PLAN_PAGE, ...(afterId ? { afterId } : {}) });
      posts.push(...page.filter((p) => COMMENT_READERS.has(p.network) && !(p.network === 'x' && p.publishedAt.getTime() < now.getTime() - X_SEARCH_DAYS * DAY_MS)));
      if (page.length < PLAN_PAGE) break;
      afterId = page.at(-1)?.deliveryId;
    }
    const channels = (await this.reads.channelsWithPosts(since)).filter((c) => typeof COMMENT_READERS.get(c.network)?.readMentions === 'function');
    const correlationId = randomUUID();
    const jobs: PollJob[] = [
      ...posts.map((p) => ({ scope: `delivery:${p.deliveryId}`, channelId: p.channelId, network: p.network, postId: p.externalId, publishedAt: p.publishedAt.toISOString(), deliveryId: p.deliveryId, messageId: p.messageId, orgId: p.orgId, correlationId, idempotencyKey: '' })),
      ...channels.map((c) => ({ scope: `mentions:${c.channelId}`, channelId: c.channelId, network: c.network, postId: null, publishedAt: null, deliveryId: null, messageId: null, orgId: c.orgId, correlationId, idempotencyKey: '' })),
    ];
    const claimed = await this.tx.withTenantBypass('listening: cursors of every organisation', () =>
      this.repo.claimDue(jobs.map((j) => ({ scope: j.scope, orgId: j.orgId as string })), now, new Date(now.getTime() + this.res.config.listening.pollMs)),
    );
    return jobs.filter((j) => claimed.has(j.scope)).map((j) => ({ ...j, idempotencyKey: `${j.scope}@${now.getTime()}` }));
  }

  /** Plans and enqueues; returns how many polls went out. */
  async plan(now = new Date()): Promise<number> {
    const due = await this.duePolls(now);
    if (due.length > 0) await this.jobs.enqueueMany('listening.poll', due.map((payload) => ({ payload })));
    return due.length;
  }

  async poll(p: PollJob, now = new Date()): Promise<PollResult> {
    const reader = COMMENT_READERS.get(p.network as Network);
    if (!reader || !p.orgId) return { scope: p.scope, outcome: 'skipped', stored: 0, fetched: 0 };
    const orgId = p.orgId;
    // A poll whose cursor row is missing (planned elsewhere, or a lost row) starts from the beginning.
    const state = await this.tx.withTenantBypass('listening: a poll reads its cursor', () => this.repo.ensureCursor(p.scope, orgId));
    if (p.postId === null && !reader.readMentions) return { scope: p.scope, outcome: 'skipped', stored: 0, fetched: 0 };
    let batch: CommentBatch;
    try {
      const outcome = await this.reads.read(p.channelId, (call) => (p.postId !== null ? reader.readComments(call, p.postId, state.cursor) : reader.readMentions!(call, state.cursor)));
      if (!outcome.ok) {
        await this.saveCursor(p.scope, { nextPollAt: outcome.retryAt, error: `waiting: ${outcome.reason}`, polledAt: null });
        return { scope: p.scope, outcome: 'waiting', stored: 0, fetched: 0 };
      }
      batch = outcome.value;
    } catch (err) {
      // The network or the channel said no: note why and come back at the next cadence; the
      // job itself succeeded (a retry storm would only spend the account's budget).
      if (err instanceof ProviderError || (err instanceof AppError && err.status < 500)) {
        this.log.warn({ scope: p.scope, err: err.message }, 'listening: a comment read failed');
        await this.saveCursor(p.scope, { nextPollAt: this.nextPoll(p, now), error: err.message, polledAt: now });
        return { scope: p.scope, outcome: 'failed', stored: 0, fetched: 0 };
      }
      throw err;
    }
    const stored = await this.store(p, batch.comments, { cursor: batch.cursor ?? state.cursor, nextPollAt: this.nextPoll(p, now), error: null, polledAt: now });
    return { scope: p.scope, outcome: 'read', stored, fetched: batch.comments.length };
  }

  /**
   * Scores and stores one read's comments and, in the same transaction, moves the scope's
   * cursor (when given): a crash leaves both as they were, and the next read re-reads harmlessly.
   * Returns how many comments were new. The bench drives this directly.
   */
  async store(p: PollJob, comments: readonly FetchedComment[], cursor?: { cursor: string | null; nextPollAt: Date; error: null; polledAt: Date }): Promise<number> {
    const rows = await this.rowsOf(p, comments);
    return this.tx.withTenantBypass('listening: comments are stored by the system', async () => {
      const n = await this.repo.insertComments(rows);
      if (cursor) await this.repo.saveCursor(p.scope, cursor);
      return n;
    });
  }

  /** Personal-data minimisation: handles ingested before the retention are cleared. */
  clearExpiredHandles(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.res.config.listening.handleRetentionDays * DAY_MS);
    return this.tx.withTenantBypass('listening: handle retention spans every organisation', () => this.repo.clearHandles(before));
  }

  /** A post's first day: every pollMs; after: hourly at most (comments slow down; budgets do not). */
  private nextPoll(p: PollJob, now: Date): Date {
    const every = this.res.config.listening.pollMs;
    const young = p.publishedAt === null || now.getTime() - Date.parse(p.publishedAt) < DAY_MS;
    return new Date(now.getTime() + (young ? every : Math.max(every, HOUR_MS)));
  }

  private saveCursor(scope: string, s: { nextPollAt: Date; error: string | null; polledAt: Date | null }): Promise<void> {
    return this.tx.withTenantBypass('listening: a poll moves its cursor', () => this.repo.saveCursor(scope, s));
  }

  /** Language and sentiment per comment, and the delivery a mention answers. */
  private async rowsOf(p: PollJob, comments: readonly FetchedComment[]): Promise<NewComment[]> {
    if (comments.length === 0) return [];
    const scores = await this.sentiment.analyse(comments.map((c) => c.text));
    const roots = new Map<string, PublishedPostRef | undefined>();
    if (p.postId === null) {
      for (const root of new Set(comments.map((c) => c.rootExternalId).filter((r): r is string => r !== null))) roots.set(root, await this.reads.postByExternalId(p.channelId, root));
    }
    return comments.map((c, i) => {
      const s = scores[i]!;
      const answered = p.postId === null && c.rootExternalId ? roots.get(c.rootExternalId) : undefined;
      return {
        orgId: answered?.orgId ?? (p.orgId as string),
        channelId: p.channelId,
        network: p.network,
        externalId: c.externalId,
        parentExternalId: c.parentExternalId,
        deliveryId: p.deliveryId ?? answered?.deliveryId ?? null,
        messageId: p.messageId ?? answered?.messageId ?? null,
        kind: p.postId === null ? 'mention' : 'comment',
        body: c.text.slice(0, 20_000),
        authorHandle: c.authorHandle?.slice(0, 300) ?? null,
        publishedAt: c.publishedAt,
        lang: s.language === 'unsupported' ? scriptLanguage(c.text) : s.language,
        sentiment: s.label,
        score: s.score,
        method: s.method.slice(0, 200),
      };
    });
  }
}
