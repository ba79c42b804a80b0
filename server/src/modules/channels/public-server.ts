import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { channelsError } from './channels.errors.js';

/**
 * Addresses a server the officer names may not resolve to: a host name can point anywhere, so
 * the syntax check of the DTO is not enough to keep Guddu from calling into its own network
 * (loopback, RFC 1918, ULA, link-local with the cloud metadata service, CGNAT, unspecified,
 * multicast and reserved). IPv4-mapped IPv6 addresses match the IPv4 rules.
 */
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b:1::', 48]] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv6');

export type Lookup = (host: string) => Promise<{ address: string }[]>;
const systemLookup: Lookup = (host) => dns.lookup(host, { all: true, verbatim: true });

export function forbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Refuses (400 server_not_public) an origin whose host resolves to any non-public address, or to
 * none. Checked at connect time; only for servers the officer typed, never the configured sandbox.
 */
export async function assertPublicServer(origin: string, lookup: Lookup = systemLookup): Promise<void> {
  const host = new URL(origin).hostname;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host);
  } catch {
    throw channelsError('server_not_public', `${host} does not resolve to an address`, { host });
  }
  const bad = addresses.filter((a) => forbiddenAddress(a.address)).map((a) => a.address);
  if (addresses.length === 0 || bad.length > 0) {
    throw channelsError('server_not_public', `${host} resolves to an address inside a private or reserved network; Guddu only calls public servers`, { host, addresses: bad });
  }
}
