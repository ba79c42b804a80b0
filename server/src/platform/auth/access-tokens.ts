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

/** Short-lived JWTs (EdDSA) for API calls. */
@Injectable()
export class AccessTokens {
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

  /** Verifies a bearer token; every failure is a 401 with a code that says which. */
  async verify(token: string): Promise<AccessClaims> {
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
      return { sub, sid, org };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw platformError('token_expired', 'The access token has expired');
      if (err instanceof joseErrors.JOSEError) throw platformError('token_invalid', 'The access token is invalid');
      throw err;
    }
  }
}
