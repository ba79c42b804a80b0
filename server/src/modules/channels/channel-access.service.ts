import { Injectable } from '@nestjs/common';
import { systemContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import type { AuthFailureKind, ChannelAccessPort, ChannelCredentials } from '../publishing/channel-access.port.js';
import { ChannelTokens, type RefreshOutcome } from './channel-tokens.service.js';
import { channelsError } from './channels.errors.js';
import { ChannelsRepository } from './channels.repository.js';
import { refusal } from './channel-targets.service.js';

/** A token with less than this left is refreshed before a delivery uses it. */
const MIN_VALIDITY_MS = 60_000;
/** Several deliveries told "expired" at once share one refresh. */
const SHARED_REFRESH_MS = 5_000;

/** What deliveries get from channels (CHANNEL_ACCESS): a usable token, a refresh, a flag. System work: no tenant. */
@Injectable()
export class ChannelAccess implements ChannelAccessPort {
  constructor(
    private readonly tokens: ChannelTokens,
    private readonly repo: ChannelsRepository,
    private readonly tx: Transactor,
  ) {}

  async credentialsFor(channelId: string): Promise<ChannelCredentials> {
    const row = await this.tx.withTenantBypass('channels: credentials for a delivery', () => this.repo.find(channelId));
    if (row && row.status === 'active' && this.tokens.remainingMs(row) > MIN_VALIDITY_MS) return this.tokens.credentials(row);
    return this.usable(await this.tokens.refresh(channelId, { withinMs: MIN_VALIDITY_MS }), channelId);
  }

  async refusalFor(channelId: string, orgId: string): Promise<string | undefined> {
    // The same rule as a message's targets (channel-targets.service.ts), for the system actor:
    // access restrictions bind people, and the people were checked when the message was approved.
    return this.tx.withTenantBypass('channels: may a delivery still use this channel', async () => {
      const row = await this.repo.find(channelId);
      return refusal(row, { orgId, orgPath: await this.repo.orgPath(orgId) }, systemContext('channels.deliveries', orgId));
    });
  }

  async refreshNow(channelId: string): Promise<ChannelCredentials> {
    return this.usable(await this.tokens.refresh(channelId, { withinMs: 0, force: true, minAgeMs: SHARED_REFRESH_MS }), channelId);
  }

  async reportAuthFailure(channelId: string, kind: AuthFailureKind, detail: string): Promise<void> {
    await this.tx.withTenantBypass('channels: a network refused a token', async () => {
      const row = await this.repo.lock(channelId);
      if (!row || row.status !== 'active') return;
      await this.tokens.flag(systemContext('channels.deliveries', row.org_id), row, `${kind}: ${detail}`.slice(0, 2000));
    });
  }

  private usable(outcome: RefreshOutcome, channelId: string): ChannelCredentials {
    switch (outcome.kind) {
      case 'fresh':
      case 'refreshed':
        return this.tokens.credentials(outcome.row);
      case 'transient':
        // The old token may still have a little life in it; else the delivery retries later.
        if (this.tokens.remainingMs(outcome.row) > 0) return this.tokens.credentials(outcome.row);
        throw channelsError('channel_refresh_failed', `The network could not refresh the token: ${outcome.reason}`, { channelId });
      case 'unavailable':
        throw channelsError('channel_unavailable', `The channel cannot publish: ${outcome.reason}`, { channelId, status: outcome.row?.status ?? null });
    }
  }
}
