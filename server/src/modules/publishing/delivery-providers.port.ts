import type { Network } from './channel-access.port.js';
import type { Provider } from './providers/provider.js';

/**
 * Where the engine finds the provider of a network. The providers' registry implements it; the
 * engine depends on this and on the Provider interface only.
 */
export const DELIVERY_PROVIDERS = Symbol('DELIVERY_PROVIDERS');

export interface DeliveryProviders {
  get(network: Network): Provider | undefined;
}
