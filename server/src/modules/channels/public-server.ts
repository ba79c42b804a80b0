import { NotPublicError, resolvePublic, systemLookup, type Lookup } from '../../platform/net/public-address.js';
import { channelsError } from './channels.errors.js';

export { forbiddenAddress, type Lookup } from '../../platform/net/public-address.js';

/**
 * Refuses (400 server_not_public) an origin whose host resolves to any non-public address, or to
 * none. Checked at connect time; only for servers the officer typed, never the configured sandbox.
 */
export async function assertPublicServer(origin: string, lookup: Lookup = systemLookup): Promise<void> {
  const host = new URL(origin).hostname;
  try {
    await resolvePublic(host, lookup);
  } catch (err) {
    if (!(err instanceof NotPublicError)) throw err;
    if (err.addresses.length === 0) throw channelsError('server_not_public', `${host} does not resolve to an address`, { host });
    throw channelsError('server_not_public', `${host} resolves to an address inside a private or reserved network; Guddu only calls public servers`, { host, addresses: err.addresses });
  }
}
