import { Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';

export interface OidcClientSettings {
  providerId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface OidcIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: boolean | undefined;
  claims: Record<string, unknown>;
}

export type OidcFailure = 'state' | 'nonce' | 'rejected' | 'unreachable';

export class OidcExchangeError extends Error {
  override name = 'OidcExchangeError';
  constructor(
    readonly reason: OidcFailure,
    options?: { cause?: unknown },
  ) {
    super(`OIDC exchange failed: ${reason}`, options);
  }
}

/** Discovery is cached this long; the provider's keys are refetched by the client on a new kid. */
const DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * The OpenID Connect relying party, on openid-client: discovery, authorization code with PKCE
 * (S256), state and nonce checked against what the server kept, ID token validation (issuer,
 * audience, signature with the provider's current keys, expiry). Plain http is allowed only for
 * a loopback issuer (tests, a provider on the same host).
 */
@Injectable()
export class OidcClient {
  private readonly configs = new Map<string, { key: string; at: number; config: Promise<oidc.Configuration> }>();

  async authorizationUrl(s: OidcClientSettings, p: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<string> {
    const config = await this.config(s);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: p.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: p.state,
      nonce: p.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(p.codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.href;
  }

  async exchange(s: OidcClientSettings, callbackUrl: URL, p: { state: string; nonce: string; codeVerifier: string }): Promise<OidcIdentity> {
    const config = await this.config(s);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: p.state,
        expectedNonce: p.nonce,
        pkceCodeVerifier: p.codeVerifier,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new OidcExchangeError(classify(err), { cause: err });
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcExchangeError('rejected');
    return {
      subject: claims.sub,
      email: typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined,
      emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
      claims,
    };
  }

  private config(s: OidcClientSettings): Promise<oidc.Configuration> {
    const key = `${s.issuer}|${s.clientId}|${s.clientSecret}`;
    const cached = this.configs.get(s.providerId);
    if (cached && cached.key === key && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const issuer = new URL(s.issuer);
    const loopbackHttp = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    const config = oidc
      .discovery(issuer, s.clientId, s.clientSecret, undefined, loopbackHttp ? { execute: [oidc.allowInsecureRequests] } : {})
      .catch((err: unknown) => {
        this.configs.delete(s.providerId); // a failed discovery is not remembered
        throw new OidcExchangeError('unreachable', { cause: err });
      });
    this.configs.set(s.providerId, { key, at: Date.now(), config });
    return config;
  }
}

function classify(err: unknown): OidcFailure {
  const text = describe(err);
  if (/nonce/i.test(text)) return 'nonce';
  if (/state/i.test(text)) return 'state';
  if (/fetch failed|ECONNREFUSED|ETIMEDOUT/i.test(text)) return 'unreachable';
  return 'rejected';
}

/** The messages and codes down the cause chain: the client wraps the check that failed. */
function describe(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 4) return '';
  const e = err as Error & { code?: unknown; error?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return `${e.message} ${text(e.code)} ${text(e.error)} ${describe(e.cause, depth + 1)}`;
}
