import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import type { ChannelTargetsPort } from '../messages/channel-targets.port.js';
import type { Channel } from '../messages/messages.dto.js';
import { channelsError } from './channels.errors.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';

/** Why a channel cannot be a message's target, in words a person understands; undefined if it can. */
export function refusal(row: ChannelRow | undefined, owner: { orgId: string; orgPath: readonly string[] }, ctx: RequestContext): string | undefined {
  // Row-level security already hides other tenants' channels; a channel seen from above (a
  // mission's, read by the ministry) or an unshared one of a parent is still not usable here.
  if (!row) return 'no such channel';
  const ownedHere = row.org_id === owner.orgId;
  const sharedFromAbove = row.shared_with_subtree && owner.orgPath.includes(row.org_id);
  if (!ownedHere && !sharedFromAbove) return 'no such channel';
  if (row.status === 'disconnected' || row.status === 'revoked') return `the channel is ${row.status}`;
  if (!usableBy(row, ctx)) return 'restricted to other people';
  return undefined;
}

/** Access restrictions: empty lists restrict nothing; otherwise the caller is listed by id or holds a listed role. */
export function usableBy(row: Pick<ChannelRow, 'allowed_user_ids' | 'allowed_roles'>, ctx: RequestContext): boolean {
  if (row.allowed_user_ids.length === 0 && row.allowed_roles.length === 0) return true;
  if (ctx.actor?.type !== 'user') return ctx.actor?.type === 'system';
  return row.allowed_user_ids.includes(ctx.actor.id) || ctx.roles.some((r) => row.allowed_roles.includes(r));
}

/** What messages ask (CHANNEL_TARGETS): may this message target these channels? */
@Injectable()
export class ChannelTargets implements ChannelTargetsPort {
  constructor(private readonly repo: ChannelsRepository) {}

  async check(ctx: RequestContext, orgId: string, channelIds: readonly string[]): Promise<{ id: string; network: Channel }[]> {
    if (channelIds.length === 0) return [];
    const ids = [...new Set(channelIds)];
    const rows = await this.repo.findMany(ids);
    const orgPath = await this.repo.orgPath(orgId);
    const found = new Map(rows.map((r) => [r.id, r]));
    const refused = ids.flatMap((id) => {
      const reason = refusal(found.get(id), { orgId, orgPath }, ctx);
      return reason ? [{ id, reason }] : [];
    });
    if (refused.length > 0) throw channelsError('channel_not_usable', `${refused.length} of the message's channels cannot be used`, { channels: refused });
    return ids.map((id) => ({ id, network: found.get(id)!.network }));
  }
}
