import type { Network } from './channel-access.port.js';

/** How an officer reads each network's name in a sentence. */
export const NETWORK_LABEL: Record<Network, string> = {
  facebook: 'Facebook',
  x: 'X',
  instagram: 'Instagram',
  youtube: 'YouTube',
  linkedin: 'LinkedIn',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
};

export function labelOf(network: string | null): string {
  return network && network in NETWORK_LABEL ? NETWORK_LABEL[network as Network] : 'The network';
}
