import { Inject, Injectable } from '@nestjs/common';
import { SignJWT, errors as joseErrors, jwtVerify, decodeProtectedHeader } from 'jose';
import { CONFIG } from '../config/config.tokens.js';
import type { Config } from '../config/config.js';
import { platformError } from '../errors/app-error.js';
import { KeyStore } from './key-store.js';

const ISSUER = 'guddu';
const AUDIENCE = 'guddu-api';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  /** user id */
  sub: string;
  /** session id: checked on every request, so revoking a session ends its tokens at once */
  sid: string;
  /** the organisation signed in to; a request may choose another it has a role in */
  org: string;
}

const VERIFIED_CACHE_SIZE = 10_000;

/** Short-lived JWTs (EdDSA) for API calls. */
@Injectable()
export class AccessTokens {
  private readonly verified = new Map<string, { claims: AccessClaims; kid: string; expiresAt: number }>();

  constructor(
    private readonly keys: KeyStore,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  async issue(claims: AccessClaims): Promise<string> {
    const { kid, key } = this.keys.signingKey();
    return new SignJWT({ sid: claims.sid, org: claims.org })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.config.accessTokenTtlSeconds}s`)
      .sign(key);
  }

  /**
   * Verifies a bearer token; every failure is a 401 with a code that says which. A token that
   * verified once is remembered until it expires: the signature check is the costliest CPU step
   * of an API call, and a client sends the same token for up to 15 minutes. Revocation does not
   * depend on this: every request checks its session in the database.
   */
  async verify(token: string): Promise<AccessClaims> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt > Date.now() && this.keys.isUsable(cached.kid)) return cached.claims;
    if (cached) this.verified.delete(token);
    const { claims, kid, expiresAt } = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { claims, kid, expiresAt });
    return claims;
  }

  private async verifySignature(token: string): Promise<{ claims: AccessClaims; kid: string; expiresAt: number }> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw platformError('token_invalid', 'The access token is malformed');
    }
    const key = kid ? await this.keys.verificationKey(kid) : undefined;
    if (!key) throw platformError('token_invalid', 'The access token was not signed by a current key');
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
      });
      const { sub, sid, org } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof org !== 'string') {
        throw platformError('token_invalid', 'The access token lacks required claims');
      }
      if (![sub, sid, org].every((v) => UUID.test(v))) throw platformError('token_invalid', 'The access token is malformed');
      return { claims: { sub, sid, org }, kid: kid!, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw platformError('token_expired', 'The access token has expired');
      if (err instanceof joseErrors.JOSEError) throw platformError('token_invalid', 'The access token is invalid');
      throw err;
    }
  }
}
