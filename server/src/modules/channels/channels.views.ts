import type { DeliveryChannel } from '../publishing/channel-access.port.js';
import type { ChannelRow } from './channels.repository.js';

/** Roles that hold channels.manage (platform/access): who can re-authorise a channel. */
export const FIXER_ROLES = ['owner', 'admin'];

/** A channel as the API shows it: health, sharing, restrictions; never a token. */
export function channelView(row: ChannelRow, viewerOrgId: string | undefined) {
  return {
    id: row.id,
    organisationId: row.org_id,
    network: row.network,
    accountId: row.account_id,
    handle: row.handle,
    displayName: row.display_name,
    baseUrl: row.base_url,
    language: row.language,
    sandbox: row.sandbox,
    status: row.status,
    scopes: row.scopes,
    health: {
      status: row.status,
      accessExpiresAt: row.access_expires_at?.toISOString() ?? null,
      refreshExpiresAt: row.refresh_expires_at?.toISOString() ?? null,
      lastRefreshedAt: row.last_refreshed_at?.toISOString() ?? null,
      lastError: row.last_error,
      lastErrorAt: row.last_error_at?.toISOString() ?? null,
      reauthorisableBy: { organisationId: row.org_id, roles: FIXER_ROLES },
    },
    access: { userIds: row.allowed_user_ids, roles: row.allowed_roles },
    sharedWithSubtree: row.shared_with_subtree,
    /** Shared from an organisation above, or seen from above: changed only by its organisation. */
    readOnly: viewerOrgId !== row.org_id,
    revision: row.revision,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function deliveryChannel(row: ChannelRow): DeliveryChannel {
  return {
    id: row.id,
    orgId: row.org_id,
    network: row.network,
    accountId: row.account_id,
    handle: row.handle,
    displayName: row.display_name,
    baseUrl: row.base_url,
    language: row.language,
    sandbox: row.sandbox,
    status: row.status,
  };
}
