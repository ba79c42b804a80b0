import type { Network } from '../../publishing/channel-access.port.js';

/** Where a connector talks to and as whom, resolved per channel (sandbox, instance, configured hosts). */
export interface ConnectorEnv {
  /** A base URL replacing every host of the network (sandbox, a Mastodon instance, a PDS); undefined: the real hosts. */
  baseUrl: string | undefined;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Now on the network's clock, in ms (the simulators' clock for sandbox channels). */
  now(): number;
}

export interface TokenSet {
  accessToken: string;
  /** Undefined: the network sent none this time (keep the one held); never an empty string. */
  refreshToken?: string | undefined;
  /** Epoch ms on the network's clock; null: does not expire. */
  accessExpiresAt: number | null;
  refreshExpiresAt?: number | null | undefined;
  scopes: string[];
}

/** An account the officer authorised, with its own tokens (a Page token, an IG user token...). */
export interface DiscoveredAccount {
  accountId: string;
  handle: string | null;
  displayName: string;
  tokens: TokenSet;
  extra: Record<string, string>;
}

/** What a stored channel hands back to its connector to refresh, check or revoke. */
export interface HeldCredentials {
  accountId: string;
  accessToken: string;
  refreshToken: string | undefined;
  extra: Readonly<Record<string, string>>;
}

/**
 * Why a network call failed, in the two ways a connect or a refresh cares about: `revoked` needs
 * a person (the grant is gone, the refresh token was refused); `transient` may work later.
 */
export class ConnectorError extends Error {
  override name = 'ConnectorError';
  constructor(
    readonly kind: 'revoked' | 'transient' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

export interface OAuthConnector {
  readonly network: Network;
  readonly flow: 'oauth';
  /** The real hosts, replaced by `env.baseUrl` when set. */
  readonly defaultBaseUrl: string;
  /** The scopes asked for: publish, read metrics, read comments. */
  readonly scopes: readonly string[];
  readonly pkce: boolean;
  /** Whether a refresh keeps a long-lived grant alive; false: the token lasts until re-authorised. */
  readonly refreshes: boolean;
  authorizeUrl(env: ConnectorEnv, p: { state: string; codeChallenge: string | undefined; firstConnect: boolean }): string;
  exchange(env: ConnectorEnv, p: { code: string; codeVerifier: string | undefined }): Promise<DiscoveredAccount[]>;
  refresh(env: ConnectorEnv, held: HeldCredentials): Promise<TokenSet>;
  /** Best effort: tell the network to forget the grant. */
  revoke?(env: ConnectorEnv, held: HeldCredentials): Promise<void>;
}

export interface PasswordConnector {
  readonly network: Network;
  readonly flow: 'password';
  readonly defaultBaseUrl: string;
  createSession(env: ConnectorEnv, p: { identifier: string; password: string }): Promise<DiscoveredAccount>;
  refresh(env: ConnectorEnv, held: HeldCredentials): Promise<TokenSet>;
  revoke?(env: ConnectorEnv, held: HeldCredentials): Promise<void>;
}

export type Connector = OAuthConnector | PasswordConnector;

export const hostOf = (env: ConnectorEnv, real: string): string => env.baseUrl ?? real;
