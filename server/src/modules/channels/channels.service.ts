import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { AuditService } from '../audit/audit.service.js';
import { ChannelNetworks } from './channel-networks.service.js';
import { ChannelTokens } from './channel-tokens.service.js';
import type { ChannelQuery, UpdateBody } from './channels.dto.js';
import { channelsError } from './channels.errors.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';
import { channelView } from './channels.views.js';
import { CONNECTORS } from './connectors/connectors.js';

/** Connected accounts after connect: list, settings, refresh on demand, disconnect. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly repo: ChannelsRepository,
    private readonly tokens: ChannelTokens,
    private readonly networks: ChannelNetworks,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async list(ctx: RequestContext, q: z.infer<typeof ChannelQuery>) {
    const rows = await this.repo.list({ network: q.network, status: q.status });
    return { items: rows.map((r) => channelView(r, ctx.orgId)), sandbox: this.networks.sandboxRunning };
  }

  async get(ctx: RequestContext, id: string) {
    return channelView(await this.found(id), ctx.orgId);
  }

  async update(ctx: RequestContext, id: string, b: z.infer<typeof UpdateBody>) {
    const before = await this.writable(ctx, id);
    const after = await this.repo.updateSettings(
      id,
      { displayName: b.displayName, language: b.language, sharedWithSubtree: b.sharedWithSubtree, allowedUserIds: b.access?.userIds, allowedRoles: b.access?.roles },
      b.revision,
    );
    if (!after) throw channelsError('stale_revision', 'The channel changed since it was read: reload it and try again', { revision: before.revision });
    await this.audit.record(ctx, { action: 'channels.updated', targetType: 'channel', targetId: id, before: channelView(before, orgOf(ctx)), after: channelView(after, orgOf(ctx)) });
    return channelView(after, orgOf(ctx));
  }

  /** Refresh (or check) the token now, as the health job would. */
  async refresh(ctx: RequestContext, id: string) {
    await this.writable(ctx, id);
    const outcome = await this.tokens.refresh(id, { withinMs: 0, force: true, ctx });
    if (outcome.kind === 'unavailable') throw channelsError('channel_unavailable', `The channel cannot be refreshed: ${outcome.reason}`, { channelId: id });
    if (outcome.kind === 'transient') throw channelsError('channel_refresh_failed', `The network could not refresh the token: ${outcome.reason}`, { channelId: id });
    return channelView((await this.repo.find(id))!, orgOf(ctx));
  }

  /** Revokes at the network where it can (best effort), wipes the tokens, keeps the row for the record. */
  async disconnect(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.writable(ctx, id);
    if (row.status === 'disconnected') return;
    const revokedAtNetwork = await this.revokeAtNetwork(row);
    const after = await this.repo.disconnect(id);
    await this.audit.record(ctx, { action: 'channels.disconnected', targetType: 'channel', targetId: id, before: channelView(row, orgOf(ctx)), after: after ? { ...channelView(after, orgOf(ctx)), revokedAtNetwork } : undefined });
    await this.events.emit(ctx, 'channels.disconnected', { channelId: id, organisationId: row.org_id, network: row.network, revokedAtNetwork }, { aggregateType: 'channel', aggregateId: id });
  }

  private async revokeAtNetwork(row: ChannelRow): Promise<boolean> {
    const connector = CONNECTORS[row.network];
    if (!connector.revoke || !row.access_token_sealed) return false;
    try {
      await connector.revoke(await this.tokens.envFor(row), this.tokens.held(row));
      return true;
    } catch (err) {
      // The tokens are wiped here whatever the network says; a network that did not hear stays authorised until the officer removes the app there.
      this.log.warn({ channelId: row.id, network: row.network, err: (err as Error).message }, 'channels: revoke at the network failed');
      return false;
    }
  }

  private async found(id: string): Promise<ChannelRow> {
    const row = await this.repo.find(id);
    if (!row) throw channelsError('channel_not_found', 'No such channel');
    return row;
  }

  private async writable(ctx: RequestContext, id: string): Promise<ChannelRow> {
    const row = await this.found(id);
    if (row.org_id !== orgOf(ctx)) throw channelsError('channel_read_only', 'This channel belongs to another organisation: only it can change the channel');
    return row;
  }
}
