import { Inject, Injectable } from '@nestjs/common';
import { systemContext, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { SchedulerService } from '../../platform/scheduler/scheduler.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { ChannelCredentials } from '../publishing/channel-access.port.js';
import { ChannelNetworks } from './channel-networks.service.js';
import { ChannelSecrets } from './channel-secrets.js';
import { channelsError } from './channels.errors.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';
import { deliveryChannel, FIXER_ROLES } from './channels.views.js';
import { ConnectorError, type ConnectorEnv, type HeldCredentials, type TokenSet } from './connectors/connector.js';
import { CONNECTORS } from './connectors/connectors.js';
import { MastodonApps } from './mastodon-apps.service.js';
import './channels.events.js';
import './channels.jobs.js';

const DAY = 24 * 3600_000;

/** How long before expiry the health job refreshes: a few minutes for hour-long tokens, days for 60-day ones. */
export function refreshLead(lifetimeMs: number): number {
  return lifetimeMs > 2 * DAY ? Math.min(7 * DAY, lifetimeMs / 4) : Math.min(10 * 60_000, lifetimeMs / 4);
}

export type RefreshOutcome =
  | { kind: 'fresh'; row: ChannelRow }
  | { kind: 'refreshed'; row: ChannelRow }
  | { kind: 'unavailable'; row: ChannelRow | undefined; reason: string }
  | { kind: 'transient'; row: ChannelRow; reason: string };

/**
 * The life of a channel's tokens after connect: open them for a delivery, refresh them (one at a
 * time per channel, under the row's lock, because X and Bluesky rotate refresh tokens and a
 * second use of the old one kills the grant), flag the channel when the network says no for
 * good, and schedule the next refresh.
 */
@Injectable()
export class ChannelTokens {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: ChannelsRepository,
    private readonly secrets: ChannelSecrets,
    private readonly networks: ChannelNetworks,
    private readonly mastodon: MastodonApps,
    private readonly scheduler: SchedulerService,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async envFor(row: Pick<ChannelRow, 'network' | 'sandbox' | 'base_url'>): Promise<ConnectorEnv> {
    const client = row.network === 'mastodon' ? await this.mastodon.existingClientFor(row.base_url, [this.networks.redirectUri('mastodon'), this.networks.legacyRedirectUri('mastodon')], row.sandbox) : undefined;
    return this.networks.envFor(row.network, { sandbox: row.sandbox, baseUrl: row.base_url, ...(client ? { client } : {}) });
  }

  held(row: ChannelRow): HeldCredentials {
    if (!row.access_token_sealed) throw channelsError('channel_unavailable', `Channel ${row.display_name} holds no token`, { channelId: row.id, status: row.status });
    return {
      accountId: row.account_id,
      accessToken: this.secrets.openToken(row.id, 'access', row.access_token_sealed),
      refreshToken: row.refresh_token_sealed ? this.secrets.openToken(row.id, 'refresh', row.refresh_token_sealed) : undefined,
      extra: row.extra,
    };
  }

  credentials(row: ChannelRow): ChannelCredentials {
    return { channel: deliveryChannel(row), accessToken: this.held(row).accessToken, extra: row.extra };
  }

  /** Milliseconds the access token has left on its network's clock; Infinity when it does not expire. */
  remainingMs(row: ChannelRow): number {
    return row.access_expires_at ? row.access_expires_at.getTime() - this.networks.now(row.sandbox) : Infinity;
  }

  /**
   * Refreshes when the token has less than `withinMs` left (or always, with `force`), under the
   * channel's row lock. `minAgeMs`: a refresh that happened that recently counts (several
   * deliveries answered 401 at once: one refresh, not one each).
   */
  async refresh(id: string, opts: { withinMs: number; force?: boolean; minAgeMs?: number; ctx?: RequestContext }): Promise<RefreshOutcome> {
    const env = await this.tx.withTenantBypass('channels: read a channel to refresh', async () => {
      const row = await this.repo.find(id);
      return row && row.status === 'active' ? this.envFor(row) : undefined;
    });
    return this.tx.withTenantBypass('channels: refresh a token', async () => {
      const row = await this.repo.lock(id);
      if (!row) return { kind: 'unavailable', row, reason: 'no such channel' };
      if (row.status !== 'active' || !env) return { kind: 'unavailable', row, reason: `channel is ${row.status}` };
      const recently = opts.minAgeMs !== undefined && row.last_refreshed_at !== null && Date.now() - row.last_refreshed_at.getTime() < opts.minAgeMs;
      if (recently || (!opts.force && this.remainingMs(row) > opts.withinMs)) return { kind: 'fresh', row };
      const ctx = opts.ctx ?? systemContext('channels.tokens', row.org_id);
      const held = this.held(row);
      let tokens: TokenSet;
      try {
        tokens = await CONNECTORS[row.network].refresh(env, held);
      } catch (err) {
        if (!(err instanceof ConnectorError)) throw err;
        return this.refusal(ctx, row, held, err);
      }
      const refreshed = await this.repo.setTokens(row.id, this.sealed(row.id, tokens), new Date());
      if (!refreshed) return { kind: 'unavailable', row, reason: 'channel vanished' };
      await this.audit.record(ctx, { orgId: row.org_id, action: 'channels.token_refreshed', targetType: 'channel', targetId: row.id, after: { accessExpiresAt: refreshed.access_expires_at?.toISOString() ?? null, rotated: tokens.refreshToken !== undefined && tokens.refreshToken !== held.refreshToken } });
      await this.scheduleRefresh(refreshed);
      return { kind: 'refreshed', row: refreshed };
    });
  }

  /** Why a refresh failed decides what happens: a transient failure is noted, a refusal needs a person. */
  private async refusal(ctx: RequestContext, row: ChannelRow, held: HeldCredentials, err: ConnectorError): Promise<RefreshOutcome> {
    if (err.kind === 'transient') {
      const noted = await this.repo.markError(row.id, { error: err.message });
      this.log.warn({ channelId: row.id, network: row.network, reason: err.message }, 'channels: refresh failed for now');
      return { kind: 'transient', row: noted ?? row, reason: err.message };
    }
    // No refresh token to use (LinkedIn without partner access): the token still works until it expires.
    if (!held.refreshToken && this.remainingMs(row) > 60_000) {
      const noted = await this.repo.markError(row.id, { error: `${err.message} (the token expires at ${row.access_expires_at?.toISOString() ?? '?'})` });
      if (row.access_expires_at) await this.schedule(row, Math.max(0, this.remainingMs(row) - 60_000));
      return { kind: 'fresh', row: noted ?? row };
    }
    const flagged = await this.flag(ctx, row, err.message);
    return { kind: 'unavailable', row: flagged, reason: err.message };
  }

  /** The channel needs a person: status, audit record and event in one transaction (the caller's). */
  async flag(ctx: RequestContext, row: ChannelRow, reason: string): Promise<ChannelRow> {
    const flagged = (await this.repo.markError(row.id, { status: 'needs_reauth', error: reason })) ?? row;
    await this.audit.record(ctx, { orgId: row.org_id, action: 'channels.needs_reauth', targetType: 'channel', targetId: row.id, before: { status: row.status }, after: { status: 'needs_reauth', reason } });
    await this.events.emit(ctx, 'channels.needs_reauth', { channelId: row.id, organisationId: row.org_id, network: row.network, reason, fixableBy: { organisationId: row.org_id, roles: FIXER_ROLES } }, { aggregateType: 'channel', aggregateId: row.id, orgId: row.org_id });
    this.log.warn({ channelId: row.id, network: row.network, reason }, 'channels: needs re-authorisation');
    return flagged;
  }

  sealed(channelId: string, t: TokenSet) {
    return {
      accessTokenSealed: this.secrets.sealToken(channelId, 'access', t.accessToken),
      // Never replaced by nothing: a network that sends no refresh token this time keeps the one held.
      refreshTokenSealed: t.refreshToken ? this.secrets.sealToken(channelId, 'refresh', t.refreshToken) : undefined,
      accessExpiresAt: t.accessExpiresAt === null ? null : new Date(t.accessExpiresAt),
      refreshExpiresAt: t.refreshExpiresAt === undefined ? undefined : t.refreshExpiresAt === null ? null : new Date(t.refreshExpiresAt),
      scopes: t.scopes,
    };
  }

  /** The next refresh, at its lead before expiry (in the caller's transaction). Nothing to do for tokens that do not expire. */
  async scheduleRefresh(row: ChannelRow): Promise<void> {
    if (!row.access_expires_at || row.status !== 'active') return;
    // Called right after tokens arrive, so what remains is (nearly) the token's lifetime.
    const remaining = this.remainingMs(row);
    await this.schedule(row, Math.max(0, remaining - refreshLead(remaining)));
  }

  private async schedule(row: ChannelRow, inMs: number): Promise<void> {
    // Counted from the wall clock: the scheduler runs on it, whatever clock the network keeps.
    const at = new Date(Date.now() + inMs);
    await this.scheduler.schedule(at, 'channels.refresh', { channelId: row.id, revision: row.revision, orgId: row.org_id, correlationId: `channel-refresh:${row.id}`, idempotencyKey: `${row.id}:r${row.revision}` }, `channel-refresh:${row.id}:r${row.revision}`);
  }
}
