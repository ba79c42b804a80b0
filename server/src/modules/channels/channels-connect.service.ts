import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { randomToken, sha256Hex } from '../../platform/crypto/tokens.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import type { Network } from '../publishing/channel-access.port.js';
import { ChannelNetworks } from './channel-networks.service.js';
import { ChannelSecrets } from './channel-secrets.js';
import { ChannelTokens } from './channel-tokens.service.js';
import { publicOrigin, type BlueskyBody, type CallbackQuery, type ConnectBody } from './channels.dto.js';
import { channelsError } from './channels.errors.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';
import { channelView } from './channels.views.js';
import { ConnectAttemptsRepository, type AttemptRow } from './connect-attempts.repository.js';
import { ConnectorError, type ConnectorEnv, type DiscoveredAccount, type OAuthConnector } from './connectors/connector.js';
import { CONNECTORS } from './connectors/connectors.js';
import { MastodonApps } from './mastodon-apps.service.js';
import { assertPublicServer } from './public-server.js';

const ATTEMPT_TTL_MS = 10 * 60_000;
/** Accounts found at the network wait this long for the officer's choice. */
const CHOICE_TTL_MS = 30 * 60_000;

/**
 * "mastodon.social", "https://mastodon.social/" → "https://mastodon.social" (the DTO has checked
 * the syntax), refused when its name resolves into a private or reserved network.
 */
async function originOf(server: string): Promise<string> {
  const origin = publicOrigin(server);
  if (!origin) throw channelsError('connect_failed', `${server} is not an https host name`);
  await assertPublicServer(origin);
  return origin;
}

/**
 * Connecting accounts: the OAuth round trip (start → the network's consent → callback), the
 * choice among several accounts, and Bluesky's app-password session. A reconnect of an account
 * already connected refreshes its tokens in place.
 */
@Injectable()
export class ChannelsConnect {
  constructor(
    private readonly repo: ChannelsRepository,
    private readonly attempts: ConnectAttemptsRepository,
    private readonly networks: ChannelNetworks,
    private readonly tokens: ChannelTokens,
    private readonly secrets: ChannelSecrets,
    private readonly mastodon: MastodonApps,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  async start(ctx: RequestContext, b: z.infer<typeof ConnectBody>) {
    const connector = this.oauth(b.network);
    const sandbox = b.sandbox ?? this.networks.sandboxRunning;
    // 1. Where the account lives, and as which client Guddu asks.
    let baseUrl: string;
    if (b.network === 'mastodon' && !sandbox) {
      if (!b.instance) throw channelsError('wrong_connect_flow', 'Mastodon needs the instance the account is on (instance)');
      baseUrl = await originOf(b.instance);
    } else {
      baseUrl = this.networks.baseUrlFor(b.network, sandbox);
    }
    const env = await this.envFor(b.network, sandbox, baseUrl);
    // 2. A state to recognise the way back, and a PKCE verifier, both unguessable.
    const id = randomUUID();
    const state = randomToken(32);
    const verifier = connector.pkce ? randomToken(48) : undefined;
    const challenge = verifier ? createHash('sha256').update(verifier).digest('base64url') : undefined;
    const expiresAt = new Date(Date.now() + ATTEMPT_TTL_MS);
    await this.attempts.insert({
      id,
      orgId: orgOf(ctx),
      userId: userOf(ctx).id,
      sessionId: userOf(ctx).sessionId,
      network: b.network,
      baseUrl,
      sandbox,
      stateHash: sha256Hex(state),
      pkceVerifierSealed: verifier ? this.secrets.sealVerifier(id, verifier) : null,
      redirectUri: env.redirectUri,
      expiresAt,
    });
    await this.audit.record(ctx, { action: 'channels.connect_started', targetType: 'channel_connect_attempt', targetId: id, after: { network: b.network, baseUrl, sandbox } });
    const firstConnect = !(await this.repo.holdsRefreshToken(orgOf(ctx), b.network));
    return { attemptId: id, authorizeUrl: connector.authorizeUrl(env, { state, codeChallenge: challenge, firstConnect }), expiresAt: expiresAt.toISOString() };
  }

  /** The network sent the officer back. Returns where the console should go next. */
  async callback(ctx: RequestContext, network: Network, q: z.infer<typeof CallbackQuery>): Promise<{ location: string }> {
    const attempt = await this.spend(ctx, network, q.state);
    if (q.error) throw channelsError('connect_failed', `${network} did not authorise Guddu: ${q.error_description ?? q.error}`, { network, error: q.error });
    if (!q.code) throw channelsError('connect_failed', `${network} sent no authorisation code back`, { network });
    const env = await this.envFor(network, attempt.sandbox, attempt.base_url);
    const verifier = attempt.pkce_verifier_sealed ? this.secrets.openVerifier(attempt.id, attempt.pkce_verifier_sealed) : undefined;
    const accounts = await this.atNetwork(network, () => this.oauth(network).exchange(env, { code: q.code!, codeVerifier: verifier }));
    if (accounts.length === 1) {
      const row = await this.upsert(ctx, attempt, accounts[0]!);
      await this.attempts.complete(attempt.id);
      return { location: `/channels/?connected=${row.id}` };
    }
    // Several Pages or organisations: the officer chooses which to add.
    const kept = this.secrets.sealCandidates(attempt.id, accounts);
    await this.attempts.keepCandidates(attempt.id, kept.public, kept.sealed);
    await this.audit.record(ctx, { action: 'channels.accounts_found', targetType: 'channel_connect_attempt', targetId: attempt.id, after: { network, accounts: kept.public } });
    return { location: `/channels/?attempt=${attempt.id}` };
  }

  async attempt(id: string) {
    const a = await this.attempts.find(id);
    if (!a) throw channelsError('connect_attempt_not_found', 'No such connect attempt');
    return { id: a.id, network: a.network, sandbox: a.sandbox, candidates: a.candidates ?? [], completed: a.completed_at !== null, expiresAt: new Date(a.created_at.getTime() + CHOICE_TTL_MS).toISOString() };
  }

  async choose(ctx: RequestContext, id: string, accountIds: string[]) {
    const a = await this.attempts.find(id);
    if (!a) throw channelsError('connect_attempt_not_found', 'No such connect attempt');
    if (!a.candidates_sealed || a.completed_at || a.created_at.getTime() + CHOICE_TTL_MS < Date.now()) {
      throw channelsError('connect_state_invalid', 'This connect attempt is finished or expired: connect again');
    }
    const offered = new Map(this.secrets.openCandidates(a.id, a.candidates_sealed).map((c) => [c.accountId, c]));
    const missing = accountIds.filter((accountId) => !offered.has(accountId));
    if (missing.length > 0) throw channelsError('account_not_offered', 'These accounts were not among those the network returned', { accountIds: missing });
    const rows: ChannelRow[] = [];
    for (const accountId of new Set(accountIds)) rows.push(await this.upsert(ctx, a, offered.get(accountId)!));
    if (!(await this.attempts.complete(a.id))) throw channelsError('connect_state_invalid', 'This connect attempt was completed meanwhile');
    return { items: rows.map((r) => channelView(r, orgOf(ctx))) };
  }

  async bluesky(ctx: RequestContext, b: z.infer<typeof BlueskyBody>) {
    const sandbox = b.sandbox ?? (this.networks.sandboxRunning && !b.service);
    const baseUrl = sandbox ? this.networks.baseUrlFor('bluesky', true) : (b.service ? await originOf(b.service) : this.networks.baseUrlFor('bluesky', false));
    const connector = CONNECTORS.bluesky;
    if (connector.flow !== 'password') throw new Error('bluesky connects with a password');
    const env = this.networks.envFor('bluesky', { sandbox, baseUrl, client: { clientId: '', clientSecret: '' } });
    let account: DiscoveredAccount;
    try {
      account = await connector.createSession(env, { identifier: b.handle, password: b.appPassword });
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'refused') throw channelsError('credentials_refused', err.message);
      throw this.networkFailure('bluesky', err);
    }
    const row = await this.upsert(ctx, { network: 'bluesky', base_url: baseUrl, sandbox }, account);
    return channelView(row, orgOf(ctx));
  }

  /** A new channel, or the same account connected again: new tokens in place, the refresh token kept when none came. */
  private async upsert(ctx: RequestContext, where: Pick<AttemptRow, 'network' | 'base_url' | 'sandbox'>, account: DiscoveredAccount): Promise<ChannelRow> {
    const orgId = orgOf(ctx);
    const userId = userOf(ctx).id;
    const existing = await this.repo.findAccount(orgId, where.network, where.base_url, account.accountId);
    let row: ChannelRow;
    if (existing) {
      await this.repo.updateIdentity(existing.id, { handle: account.handle, extra: account.extra, connectedBy: userId });
      row = (await this.repo.setTokens(existing.id, this.tokens.sealed(existing.id, account.tokens), null))!;
      await this.audit.record(ctx, { action: 'channels.reconnected', targetType: 'channel', targetId: row.id, before: { status: existing.status }, after: channelView(row, orgId) });
    } else {
      const id = randomUUID();
      const t = this.tokens.sealed(id, account.tokens);
      row = await this.repo.insert({
        id,
        org_id: orgId,
        network: where.network,
        account_id: account.accountId,
        handle: account.handle,
        display_name: account.displayName.slice(0, 200),
        base_url: where.base_url,
        sandbox: where.sandbox,
        access_token_sealed: t.accessTokenSealed,
        refresh_token_sealed: t.refreshTokenSealed ?? null,
        access_expires_at: t.accessExpiresAt,
        refresh_expires_at: t.refreshExpiresAt ?? null,
        scopes: t.scopes ?? [],
        extra: JSON.stringify(account.extra),
        connected_by: userId,
      });
      await this.audit.record(ctx, { action: 'channels.connected', targetType: 'channel', targetId: row.id, after: channelView(row, orgId) });
    }
    await this.events.emit(ctx, 'channels.connected', { channelId: row.id, organisationId: orgId, network: row.network, accountId: row.account_id, sandbox: row.sandbox, reconnected: existing !== undefined }, { aggregateType: 'channel', aggregateId: row.id });
    await this.tokens.scheduleRefresh(row);
    return row;
  }

  /** Finds the caller's attempt by its state and spends it: unknown, another's, expired or used → refused. */
  private async spend(ctx: RequestContext, network: Network, state: string | undefined): Promise<AttemptRow> {
    const refuse = (why: string) => channelsError('connect_state_invalid', `This sign-in link is not valid (${why}); start the connection again`, { network });
    if (!state) throw refuse('no state');
    // Row-level security finds only the caller's own attempts in this organisation.
    const attempt = await this.attempts.findByState(sha256Hex(state));
    if (!attempt || attempt.network !== network) throw refuse('unknown');
    if (attempt.session_id !== userOf(ctx).sessionId) throw refuse('started in another session');
    if (attempt.used_at) throw refuse('already used');
    if (attempt.expires_at.getTime() <= Date.now()) throw refuse('expired');
    if (!(await this.attempts.markUsed(attempt.id))) throw refuse('already used');
    return attempt;
  }

  private oauth(network: Network): OAuthConnector {
    const c = CONNECTORS[network];
    if (c.flow !== 'oauth') throw channelsError('wrong_connect_flow', `${network} connects with a handle and an app password: POST /api/v1/channels/bluesky`);
    return c;
  }

  private async envFor(network: Network, sandbox: boolean, baseUrl: string): Promise<ConnectorEnv> {
    if (network !== 'mastodon') return this.networks.envFor(network, { sandbox, baseUrl });
    const client = await this.atNetwork(network, () => this.mastodon.clientFor(baseUrl, this.networks.redirectUri('mastodon'), sandbox));
    return this.networks.envFor(network, { sandbox, baseUrl, client });
  }

  private async atNetwork<T>(network: Network, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.networkFailure(network, err);
    }
  }

  private networkFailure(network: Network, err: unknown): Error {
    if (err instanceof ConnectorError) return channelsError('connect_failed', err.message, { network, kind: err.kind });
    return err as Error;
  }
}
