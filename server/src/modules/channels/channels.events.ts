import type { Network } from '../publishing/channel-access.port.js';

/** Who can put a channel right: those holding one of these roles in the organisation or above it. */
export interface FixableBy {
  organisationId: string;
  roles: string[];
}

/** Events of connected accounts. Aggregate: `channel` / the channel id. */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'channels.connected': { channelId: string; organisationId: string; network: Network; accountId: string; sandbox: boolean; reconnected: boolean };
    'channels.disconnected': { channelId: string; organisationId: string; network: Network; revokedAtNetwork: boolean };
    /** A token was refused for good or could not be refreshed: a person must re-authorise. */
    'channels.needs_reauth': { channelId: string; organisationId: string; network: Network; reason: string; fixableBy: FixableBy };
  }
}

export {};
