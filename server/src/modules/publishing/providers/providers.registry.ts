import { Injectable } from '@nestjs/common';
import type { Network } from '../channel-access.port.js';
import { BlueskyProvider } from './bluesky.provider.js';
import { FacebookProvider } from './facebook.provider.js';
import { InstagramProvider } from './instagram.provider.js';
import { LinkedInProvider } from './linkedin.provider.js';
import { MastodonProvider } from './mastodon.provider.js';
import type { Provider } from './provider.js';
import { XProvider } from './x.provider.js';
import { YouTubeProvider } from './youtube.provider.js';

/**
 * The one place the engine and validation get a network's Provider. Providers hold no state
 * (credentials come with each call), so one instance per network serves every channel.
 */
@Injectable()
export class ProviderRegistry {
  private readonly byNetwork: Partial<Record<Network, Provider>>;

  constructor() {
    const all: Provider[] = [new FacebookProvider(), new XProvider(), new InstagramProvider(), new YouTubeProvider(), new LinkedInProvider(), new MastodonProvider(), new BlueskyProvider()];
    this.byNetwork = Object.fromEntries(all.map((p) => [p.network, p]));
  }

  /** The network's provider, or undefined for a network Guddu cannot publish to yet. */
  find(network: Network): Provider | undefined {
    return this.byNetwork[network];
  }

  for(network: Network): Provider {
    const provider = this.byNetwork[network];
    if (!provider) throw new Error(`no provider for ${network}`);
    return provider;
  }
}
