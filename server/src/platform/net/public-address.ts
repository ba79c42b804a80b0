import { promises as dns } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a host named by a user may not resolve to: a host name can point anywhere, so a
 * syntax check is not enough to keep Guddu from calling into its own network (loopback, RFC 1918,
 * ULA, link-local with the cloud metadata service, CGNAT, unspecified, multicast and reserved).
 * IPv4-mapped IPv6 addresses match the IPv4 rules. Shared by channels (Mastodon instances,
 * Bluesky servers) and webhooks.
 */
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b:1::', 48]] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv6');

export interface ResolvedAddress {
  address: string;
  family?: number;
}
export type Lookup = (host: string) => Promise<ResolvedAddress[]>;
export const systemLookup: Lookup = (host) => dns.lookup(host, { all: true, verbatim: true });

export function forbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Why a host is not public: it did not resolve, or some address it resolves to is forbidden. */
export class NotPublicError extends Error {
  override name = 'NotPublicError';
  constructor(
    readonly host: string,
    readonly addresses: string[],
  ) {
    super(addresses.length === 0 ? `${host} does not resolve to an address` : `${host} resolves to an address inside a private or reserved network`);
  }
}

/**
 * The addresses of a host, refused (NotPublicError) when it resolves to none or to any
 * non-public one: a name answering one public and one private address is refused, since the
 * client may pick either. An address literal is checked as it is, without a lookup.
 */
export async function resolvePublic(hostname: string, lookup: Lookup = systemLookup): Promise<{ address: string; family: 4 | 6 }[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (isIP(host) !== 0) addresses = [{ address: host }];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      throw new NotPublicError(host, []);
    }
  }
  if (addresses.length === 0) throw new NotPublicError(host, []);
  const bad = addresses.filter((a) => forbiddenAddress(a.address)).map((a) => a.address);
  if (bad.length > 0) throw new NotPublicError(host, bad);
  return addresses.map((a) => ({ address: a.address, family: isIP(a.address) === 6 ? 6 : 4 }));
}

/**
 * A socket lookup that always answers the address already checked, so a request goes where the
 * check looked (no second resolution an attacker's DNS could answer differently). TLS still
 * verifies the certificate against the host name.
 */
export function pinnedLookup(pinned: { address: string; family: 4 | 6 }): LookupFunction {
  return (_host, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: pinned.address, family: pinned.family }]);
    else cb(null, pinned.address, pinned.family);
  };
}
