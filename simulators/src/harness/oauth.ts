import { createHash } from 'node:crypto';
import { randomToken } from './ids.js';
import { type SimClock } from './clock.js';

/** A registered OAuth client. `redirectUris: '*'` accepts any URI (the sandbox app). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[] | '*';
  scopes?: string[];
  /** LinkedIn issues refresh tokens only to approved partner apps; YouTube "testing" apps lose them after 7 days. */
  flags: Record<string, boolean>;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  accountId: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  used: boolean;
  extras: Record<string, string>;
}

/** Clients, consent and authorization codes: the parts of the code grant every network shares. */
export class OAuthRegistry {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly codes = new Map<string, AuthorizationCode>();
  /** What the simulated user does on the consent screen. */
  consent: 'approve' | 'deny' = 'approve';

  constructor(private readonly clock: SimClock) {
    this.register({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret', redirectUris: '*', flags: {} });
  }

  register(client: Omit<OAuthClient, 'flags'> & { flags?: Record<string, boolean> }): OAuthClient {
    const full: OAuthClient = { ...client, flags: { ...client.flags } };
    this.clients.set(full.clientId, full);
    return full;
  }

  client(clientId: string | undefined): OAuthClient | undefined {
    return clientId ? this.clients.get(clientId) : undefined;
  }

  redirectAllowed(client: OAuthClient, redirectUri: string): boolean {
    return client.redirectUris === '*' ? /^https?:\/\//.test(redirectUri) : client.redirectUris.includes(redirectUri);
  }

  issueCode(input: Omit<AuthorizationCode, 'code' | 'expiresAt' | 'used' | 'extras'> & { ttlMs: number; extras?: Record<string, string> }): AuthorizationCode {
    const code: AuthorizationCode = {
      code: randomToken('sim-code-', 18),
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scopes: input.scopes,
      accountId: input.accountId,
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: input.codeChallengeMethod,
      expiresAt: this.clock.now() + input.ttlMs,
      used: false,
      extras: { ...input.extras },
    };
    this.codes.set(code.code, code);
    return code;
  }

  /**
   * Spends a code. Returns why it cannot be used, or the code. A code is single use whatever the
   * outcome, as the real servers do.
   */
  redeem(codeValue: string | undefined, clientId: string, redirectUri: string | undefined, verifier: string | undefined):
    | { ok: true; code: AuthorizationCode }
    | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'client' | 'redirect' | 'pkce' } {
    const code = codeValue ? this.codes.get(codeValue) : undefined;
    if (!code) return { ok: false, reason: 'unknown' };
    if (code.used) return { ok: false, reason: 'used' };
    code.used = true;
    if (code.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    if (code.clientId !== clientId) return { ok: false, reason: 'client' };
    if (redirectUri !== undefined && code.redirectUri !== redirectUri) return { ok: false, reason: 'redirect' };
    if (code.codeChallenge !== undefined && !pkceMatches(code.codeChallenge, code.codeChallengeMethod ?? 'plain', verifier)) {
      return { ok: false, reason: 'pkce' };
    }
    return { ok: true, code };
  }

  clear(): void {
    this.codes.clear();
  }
}

export function pkceMatches(challenge: string, method: string, verifier: string | undefined): boolean {
  if (!verifier) return false;
  if (method === 'plain') return verifier === challenge;
  if (method === 'S256') return createHash('sha256').update(verifier).digest('base64url') === challenge;
  return false;
}

/** Parses `Authorization: Basic base64(id:secret)` (confidential clients). */
export function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
