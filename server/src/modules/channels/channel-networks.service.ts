import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RunningSimulators } from '@guddu/simulators';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import type { Network } from '../publishing/channel-access.port.js';
import type { ConnectorEnv } from './connectors/connector.js';
import { CONNECTORS } from './connectors/connectors.js';
import { channelsError } from './channels.errors.js';

/** The OAuth client every simulator knows (simulators/README.md). */
const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };

/**
 * Where each network is and as whom Guddu calls it. Real networks: the configured base URL (or
 * the network's own hosts) and the configured OAuth client. The sandbox: the seven simulators,
 * started on loopback inside this process when GUDDU_SANDBOX is on (the default in embedded
 * mode), with their sandbox client; sandbox channels live on the simulators' clock, so a test
 * (or a curious officer) can move time forward and see tokens expire and refresh.
 */
@Injectable()
export class ChannelNetworks implements OnModuleInit, OnModuleDestroy {
  private sims: RunningSimulators | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    // Operator commands (role cli) run beside a server and serve nothing: no sandbox unless asked for by name.
    if (!this.config.sandbox || (this.res.role === 'cli' && !this.config.sandboxExplicit)) return;
    // Loaded only when wanted: an installation with the sandbox off never loads the simulators.
    const { startSimulators } = await import('@guddu/simulators');
    this.sims = await startSimulators({ host: '127.0.0.1', services: [] });
    this.log.info({ urls: this.sims.urls }, 'sandbox networks started on loopback');
  }

  async onModuleDestroy(): Promise<void> {
    await this.sims?.close();
    this.sims = undefined;
  }

  get sandboxRunning(): boolean {
    return this.sims !== undefined;
  }

  /** The running simulators (tests reach their admin API and clock through this). */
  get sandbox(): RunningSimulators | undefined {
    return this.sims;
  }

  /** Now on the clock a channel's expiries are stored in. */
  now(sandbox: boolean): number {
    return sandbox && this.sims ? this.sims.harness.clock.now() : Date.now();
  }

  /**
   * The console's landing page, not the API: the network's redirect is a cross-site navigation,
   * which never carries the SameSite=Strict session cookie, whereas the page's own same-origin
   * call to POST /api/v1/channels/callback/{network} does (decision 0017).
   */
  redirectUri(network: Network): string {
    return `${this.config.publicUrl}/channels/callback/${network}/`;
  }

  /** The redirect URI before decision 0017's landing page: apps registered with it still hold older channels' tokens. */
  legacyRedirectUri(network: Network): string {
    return `${this.config.publicUrl}/api/v1/channels/callback/${network}`;
  }

  /** Where a new channel of this network lives. */
  baseUrlFor(network: Network, sandbox: boolean): string {
    if (sandbox) {
      const url = this.sims?.urls[network];
      if (!url) throw channelsError('sandbox_off', 'The sandbox networks are not running here (GUDDU_SANDBOX=off)');
      return url;
    }
    return this.config.networks[network].url ?? CONNECTORS[network].defaultBaseUrl;
  }

  /**
   * The connector's environment for a channel or attempt at `baseUrl`. `baseUrl` replaces every
   * host of the network only when it is not the network's own default (sandbox, configured URL,
   * a Mastodon instance, a PDS).
   */
  envFor(network: Network, p: { sandbox: boolean; baseUrl: string; client?: { clientId: string; clientSecret: string } }): ConnectorEnv {
    const client = p.client ?? this.clientFor(network, p.sandbox);
    const own = CONNECTORS[network].defaultBaseUrl;
    const override = network === 'mastodon' || network === 'bluesky' || p.baseUrl !== own ? p.baseUrl : undefined;
    return { baseUrl: override, ...client, redirectUri: this.redirectUri(network), now: () => this.now(p.sandbox) };
  }

  clientFor(network: Network, sandbox: boolean): { clientId: string; clientSecret: string } {
    if (sandbox) return SANDBOX_CLIENT;
    if (network === 'bluesky') return { clientId: '', clientSecret: '' };
    const { clientId, clientSecret } = this.config.networks[network];
    if (!clientId || !clientSecret) {
      const up = network.toUpperCase();
      throw channelsError('network_not_configured', `Guddu has no ${network} app configured: set GUDDU_${up}_CLIENT_ID and GUDDU_${up}_CLIENT_SECRET`);
    }
    return { clientId, clientSecret };
  }
}
