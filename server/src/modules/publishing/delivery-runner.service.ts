import { Inject, Injectable } from '@nestjs/common';
import { systemContext, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { AppError } from '../../platform/errors/app-error.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import type { MessageContent } from '../messages/messages.dto.js';
import { MessageRelease } from '../messages/message-release.service.js';
import { CHANNEL_ACCESS, type ChannelAccessPort, type ChannelCredentials } from './channel-access.port.js';
import { DELIVERY_MEDIA, type DeliveryMediaPort } from './delivery-media.port.js';
import { DeliveriesRepository, type DeliveryRow } from './deliveries.repository.js';
import { DeliveryCalls } from './delivery-calls.js';
import { mediaRequestOf, postInputOf } from './delivery-input.js';
import { MAX_COUNTED_ATTEMPTS, nextStep } from './delivery-outcome.js';
import { labelOf } from './network-names.js';
import { DeliverySettlement } from './delivery-settlement.js';
import { SETTLED } from './delivery-state.js';
import { DeliveryTransitions } from './delivery-transitions.js';
import { PublishingRepository } from './publishing.repository.js';
import { ProviderError, type PostInput, type Provider, type ProviderCall, type PublishedPost } from './providers/provider.js';
import { RateLimits, scopesOf } from './rate-limits.js';
import { ProviderRegistry } from './providers/providers.registry.js';
import './deliveries.jobs.js';

type Run = { settle: DeliveryRow | undefined };

const UNCONFIRMED = 'Guddu could not confirm whether the post went out; check the account before trying again';

/**
 * Takes one delivery one step: publish, or reconcile a call whose answer was lost, then publish
 * only if the post is not there. Exactly once rests on four things:
 * - the lease (an advisory lock per delivery, held by this transaction): one run at a time;
 * - `in_flight` and the attempt are committed BEFORE the call, the outcome AFTER it, so a run
 *   killed in between leaves `in_flight`, and the next run reconciles instead of resending;
 * - the gate's shared lock on the organisation path is held across the call, so a suspend
 *   that commits first holds this delivery, and one that comes later waits for the call;
 * - the retry decision comes from the error class alone (delivery-outcome.ts).
 */
@Injectable()
export class DeliveryRunner {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly gate: PublishingRepository,
    private readonly messages: MessageRelease,
    private readonly moves: DeliveryTransitions,
    private readonly calls: DeliveryCalls,
    private readonly limits: RateLimits,
    private readonly settlement: DeliverySettlement,
    @Inject(CHANNEL_ACCESS) private readonly channels: ChannelAccessPort,
    @Inject(DELIVERY_MEDIA) private readonly media: DeliveryMediaPort,
    private readonly providers: ProviderRegistry,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @JobHandler('publishing.deliver')
  async deliver(p: GudduJobs['publishing.deliver']): Promise<void> {
    const run = await this.calls.bounded(() => this.tx.withTenantBypass('publishing: a delivery calls its network', () => this.step(p)));
    if (run.settle) await this.settlement.settle(run.settle);
  }

  private async step(p: GudduJobs['publishing.deliver']): Promise<Run> {
    // 1. The lease, then the delivery as it stands: a stale or duplicate job does nothing.
    if (!(await this.repo.tryLease(p.deliveryId))) return { settle: undefined };
    let d = await this.repo.find(p.deliveryId);
    if (!d) return { settle: undefined };
    if (SETTLED.has(d.state)) return { settle: d };
    if (d.dispatch !== p.dispatch || d.state === 'held') return { settle: undefined };
    const ctx = systemContext('publishing.deliver', d.org_id, p.correlationId);
    const mustReconcile = d.state === 'in_flight' || d.state === 'unknown' || d.failure_class === 'unknown_outcome';
    // The channel's access check runs in its own transaction, alongside the gate's reads in this
    // one (decision 0035: each round trip before the call is latency on a loaded server). It only
    // reads and never rejects; its answer is used once the gate has let the delivery through. The
    // credentials wait for the gate: opening them may refresh a token at the network.
    const access = this.accessFor(d);
    const msg = await this.messages.peek(d.message_id);
    if (!msg) return { settle: undefined };

    // 2. The gate: shared lock on the organisation path, held across the call (to this commit).
    await this.gate.lockPathForPublishing(msg.org_path);
    const suspension = await this.gate.activeSuspension(msg.org_path);
    if (suspension) {
      await this.moves.move(ctx, d, 'held', { held_by_suspension: suspension.id, ...(mustReconcile ? { failure_class: 'unknown_outcome' } : {}) }, { suspension: suspension.reason });
      return { settle: undefined };
    }
    const withdrawn = msg.status === 'withdrawn';
    if (withdrawn && !mustReconcile) return { settle: await this.moves.move(ctx, d, 'cancelled', { failure_class: 'cancelled', failure_reason: 'The message was withdrawn before this went out', next_attempt_at: null }) };

    // 3. What to send, with whom, and through which provider.
    const content = await this.messages.contentOf(d.message_id, d.version);
    // A delivery whose earlier call may have landed keeps its reconcile-first marker when it
    // fails here, so a retry looks for the post before it sends again.
    if (!content) return { settle: await this.fail(ctx, d, 'internal', 'The approved version of the message is missing', mustReconcile) };
    const usable = await this.channelFor(d, access);
    if ('refused' in usable) return { settle: await this.fail(ctx, d, 'permission', `This organisation may no longer publish to the channel: ${usable.refused}`, mustReconcile) };
    if ('unavailable' in usable) return { settle: await this.fail(ctx, d, 'channel_unavailable', `The channel cannot be used: ${usable.unavailable}`, mustReconcile) };
    if ('error' in usable) throw usable.error;
    const creds = usable.creds;
    const network = creds.channel.network;
    // Written with the next move, never here: a row this transaction had locked would block the
    // attempt's own transaction below (which must commit before the call).
    d = { ...d, network };
    const provider = this.providers.find(network);
    if (!provider) return { settle: await this.fail(ctx, d, 'internal', `Guddu cannot publish to ${network} on this server`, mustReconcile) };
    const input = await this.inputFor(content, creds, d.idempotency_key);
    if ('refused' in input) return { settle: await this.fail(ctx, d, 'media_failed', input.refused, mustReconcile) };

    // 4. Rate limits every worker shares: waiting is a delayed job, not a held slot.
    const scopes = scopesOf(network, creds.channel.accountId);
    const until = await this.limits.take(scopes);
    if (until) {
      await this.moves.requeue(d, until, { network });
      return { settle: undefined };
    }

    // 5. Reconcile a call whose answer was lost; then, and only if not found (and not withdrawn), publish.
    if (mustReconcile) {
      const found = await this.attempt(ctx, d, 'reconcile', provider, creds, (call) => provider.reconcile(call, input, d!.first_call_at ?? d!.created_at));
      d = found.row;
      if (found.outcome === 'done' && found.post) return { settle: await this.succeed(ctx, d, found.post, 'found by reconcile') };
      // A reconcile that got its answer is not a failed try: only unanswered ones use up the attempts.
      if (found.outcome === 'done') d = { ...d, attempts: Math.max(0, d.attempts - 1) };
      if (found.outcome === 'stop') return { settle: SETTLED.has(d.state) ? d : undefined };
      if (withdrawn) return { settle: await this.moves.move(ctx, d, 'cancelled', { failure_class: 'cancelled', failure_reason: 'The message was withdrawn; the earlier attempt had not gone out', next_attempt_at: null }) };
      // Lost answers every time, and never landed: stop, rather than try for ever.
      if (d.attempts >= MAX_COUNTED_ATTEMPTS) return { settle: await this.fail(ctx, d, 'unknown_outcome', `${labelOf(network)} did not answer ${d.attempts} times and the post is not there; try again later`) };
    }
    const published = await this.attempt(ctx, d, 'publish', provider, creds, (call) => provider.publish(call, input));
    return { settle: published.outcome === 'done' && published.post ? await this.succeed(ctx, published.row, published.post, null) : SETTLED.has(published.row.state) ? published.row : undefined };
  }

  /** May this organisation still use the channel, and its credentials if so; errors as values. */
  private async accessFor(d: DeliveryRow): Promise<{ refused: string | undefined } | { unavailable: string } | { error: unknown }> {
    try {
      return { refused: (await this.channels.refusalFor(d.channel_id, d.org_id)) ?? undefined };
    } catch (err) {
      return unusable(err);
    }
  }

  private async channelFor(d: DeliveryRow, access: ReturnType<DeliveryRunner['accessFor']>): Promise<{ creds: ChannelCredentials } | { refused: string } | { unavailable: string } | { error: unknown }> {
    const checked = await access;
    if (!('refused' in checked)) return checked;
    if (checked.refused) return { refused: checked.refused };
    try {
      return { creds: await this.channels.credentialsFor(d.channel_id) };
    } catch (err) {
      return unusable(err);
    }
  }

  /**
   * One call: in_flight and the attempt committed first (their own transaction), the call, then
   * the outcome in this one. `done` with a post: it is out; `done` without (reconcile only): not
   * found, go on; `stop`: the delivery was moved (re-queued, failed, unknown).
   */
  private async attempt(
    ctx: RequestContext,
    d: DeliveryRow,
    kind: 'publish' | 'reconcile',
    provider: Provider,
    creds: ChannelCredentials,
    fn: (call: ProviderCall) => Promise<PublishedPost | null>,
  ): Promise<{ outcome: 'done' | 'stop'; row: DeliveryRow; post?: PublishedPost | null }> {
    const started = await this.tx.withTenantBypass('publishing: an attempt starts', async () => {
      await this.repo.markLostAttempts(d.id);
      // Reconciles count too: one that never gets an answer must end, not loop for ever.
      const row = await this.moves.move(ctx, d, 'in_flight', { network: d.network, attempts: d.attempts + 1, first_call_at: d.first_call_at ?? new Date(), next_attempt_at: null, held_by_suspension: null }, { attempt: kind });
      return { row, attempt: await this.repo.startAttempt({ id: d.id, orgId: d.org_id }, kind) };
    });
    let row = started.row;
    let refreshed = false;
    for (;;) {
      const call = this.calls.callFor(creds);
      try {
        const post = await fn(call.call);
        await call.flush();
        await this.endAttempt(started.attempt.id, { outcome: kind === 'publish' ? 'succeeded' : post ? 'found' : 'not_found' });
        return { outcome: 'done', row, post };
      } catch (err) {
        await call.flush();
        if (!(err instanceof ProviderError)) {
          await this.endAttempt(started.attempt.id, { outcome: 'failed', errorClass: 'internal', detail: String((err as Error)?.message ?? err) });
          throw err; // the job retries; in_flight makes the next run reconcile
        }
        const step = nextStep(err.kind, { attempts: row.attempts, retryAt: err.details.retryAt, refreshed, now: new Date() });
        const end = { errorClass: err.kind, httpStatus: err.details.httpStatus ?? null, vendorCode: err.details.vendorCode ?? null, detail: err.message };
        if (kind === 'reconcile' && row.attempts >= MAX_COUNTED_ATTEMPTS && (step.kind === 'retry' || step.kind === 'reconcile' || step.kind === 'fail')) {
          await this.endAttempt(started.attempt.id, { outcome: 'failed', ...end });
          return { outcome: 'stop', row: await this.fail(ctx, row, 'unknown_outcome', UNCONFIRMED, true) };
        }
        if (step.kind === 'refresh') {
          refreshed = true;
          creds = await this.channels.refreshNow(d.channel_id);
          continue;
        }
        if (step.kind === 'find_duplicate' && kind === 'publish') {
          await this.endAttempt(started.attempt.id, { outcome: 'failed', ...end });
          const found = await this.findDuplicate(provider, creds, row);
          if (found) return { outcome: 'done', row, post: found };
          return { outcome: 'stop', row: await this.fail(ctx, row, 'duplicate', err.message) };
        }
        if (step.kind === 'wait' || step.kind === 'retry' || step.kind === 'reconcile') {
          await this.endAttempt(started.attempt.id, { outcome: step.kind === 'wait' ? 'delayed' : 'retry', ...end });
          if (step.kind === 'wait') await this.limits.observe(`${provider.network}:${creds.channel.accountId}`, { bucket: 'engine:refused', remaining: 0, resetAt: step.at });
          const to = step.kind === 'reconcile' || (kind === 'reconcile' && step.kind !== 'wait') ? 'unknown' : 'pending';
          const marker = kind === 'reconcile' || step.kind === 'reconcile' ? { failure_class: 'unknown_outcome' } : { failure_class: err.kind, failure_reason: err.message };
          // Rate limits do not count against the attempts: a delivery waits, it is not failed for it.
          const attempts = step.kind === 'wait' ? Math.max(0, row.attempts - 1) : row.attempts;
          row = await this.moves.move(ctx, row, to, { ...marker, attempts, failure_reason: err.message }, { errorClass: err.kind });
          await this.moves.requeue(row, step.at);
          return { outcome: 'stop', row };
        }
        await this.endAttempt(started.attempt.id, { outcome: 'failed', ...end });
        if (step.kind === 'fail_channel') await this.channels.reportAuthFailure(d.channel_id, err.kind === 'permission' ? 'permission' : err.kind === 'revoked' ? 'revoked' : 'auth_expired', err.message);
        return { outcome: 'stop', row: await this.fail(ctx, row, err.kind, err.message, kind === 'reconcile') };
      }
    }
  }

  /** Committed at once, in its own transaction: the run's transaction may hold the gate across more calls. */
  private async endAttempt(id: string, end: Parameters<DeliveriesRepository['endAttempt']>[1]): Promise<void> {
    await this.tx.withTenantBypass('publishing: an attempt ends', () => this.repo.endAttempt(id, end));
  }

  /** The network says it has this post already: find it (a failure to look is logged, and the delivery fails as a duplicate). */
  private async findDuplicate(provider: Provider, creds: ChannelCredentials, d: DeliveryRow): Promise<PublishedPost | null> {
    const content = await this.messages.contentOf(d.message_id, d.version);
    if (!content) return null;
    try {
      const input = await this.inputFor(content, creds, d.idempotency_key);
      if ('refused' in input) return null;
      return await provider.reconcile(this.calls.callFor(creds).call, input, d.first_call_at ?? d.created_at);
    } catch (err) {
      this.log.warn({ err, deliveryId: d.id }, 'delivery: could not look for the post a duplicate refusal points at');
      return null;
    }
  }

  /**
   * The post as approved, with its media resolved by the media library for this network. Bytes are
   * opened only when a provider uploads them, as a stream from storage.
   */
  private async inputFor(content: MessageContent, creds: ChannelCredentials, key: string): Promise<PostInput | { refused: string }> {
    const req = mediaRequestOf(content, creds.channel);
    const answer = req.assetIds.length === 0 ? { media: [] } : await this.media.resolve(req);
    if ('refused' in answer) return answer;
    return postInputOf(content, creds.channel, key, answer.media);
  }

  private async succeed(ctx: RequestContext, d: DeliveryRow, post: PublishedPost, note: string | null): Promise<DeliveryRow> {
    this.log.info({ deliveryId: d.id, network: d.network, externalId: post.externalId, note }, 'delivery: published');
    return this.moves.move(ctx, d, 'succeeded', { external_id: post.externalId, external_url: post.url, failure_class: null, failure_reason: null, published_at: new Date(), next_attempt_at: null });
  }

  /** `reconcileFirst`: the post may be out; the class stays `unknown_outcome` so a retry reconciles before it sends. */
  private async fail(ctx: RequestContext, d: DeliveryRow, failureClass: string, reason: string, reconcileFirst = false): Promise<DeliveryRow> {
    return this.moves.move(ctx, d, 'failed', { network: d.network, failure_class: reconcileFirst ? 'unknown_outcome' : failureClass, failure_reason: reason, next_attempt_at: null });
  }
}

function unusable(err: unknown): { unavailable: string } | { error: unknown } {
  return err instanceof AppError && err.status < 500 ? { unavailable: err.message } : { error: err };
}
