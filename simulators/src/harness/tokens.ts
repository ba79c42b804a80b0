import { randomToken } from './ids.js';
import { type SimClock } from './clock.js';

export interface TokenRecord {
  token: string;
  kind: 'access' | 'refresh';
  accountId: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  /** null: never expires (Facebook Page tokens, Mastodon tokens). */
  expiresAt: number | null;
  revoked: boolean;
  /** Rotating refresh tokens are single use; `used` records that this one was spent. */
  used: boolean;
  /** Tokens issued from one grant share a family, so a reused refresh token can kill them all. */
  family: string;
  /** Network-specific facts (token type, the Page it belongs to, the flavour of login). */
  meta: Record<string, string>;
}

export type TokenCheck =
  | { status: 'valid'; record: TokenRecord }
  | { status: 'expired' | 'revoked'; record: TokenRecord }
  | { status: 'unknown' };

export interface IssueOptions {
  kind?: 'access' | 'refresh';
  accountId: string;
  clientId?: string;
  scopes: readonly string[];
  ttlMs: number | null;
  family?: string;
  prefix?: string;
  meta?: Record<string, string>;
}

/** Issue, expiry and revocation of every token a simulator hands out. */
export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(private readonly clock: SimClock) {}

  issue(options: IssueOptions): TokenRecord {
    const now = this.clock.now();
    const token = randomToken(options.prefix ?? (options.kind === 'refresh' ? 'sim-rt-' : 'sim-at-'));
    const record: TokenRecord = {
      token,
      kind: options.kind ?? 'access',
      accountId: options.accountId,
      clientId: options.clientId ?? 'sandbox-client',
      scopes: [...options.scopes],
      issuedAt: now,
      expiresAt: options.ttlMs === null ? null : now + options.ttlMs,
      revoked: false,
      used: false,
      family: options.family ?? token,
      meta: { ...options.meta },
    };
    this.tokens.set(token, record);
    return record;
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { status: 'unknown' };
    const record = this.tokens.get(token);
    if (!record) return { status: 'unknown' };
    if (record.revoked) return { status: 'revoked', record };
    if (record.expiresAt !== null && record.expiresAt <= this.clock.now()) return { status: 'expired', record };
    return { status: 'valid', record };
  }

  get(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  revoke(token: string): boolean {
    const record = this.tokens.get(token);
    if (!record) return false;
    record.revoked = true;
    return true;
  }

  revokeFamily(family: string): number {
    return this.revokeWhere((record) => record.family === family);
  }

  revokeAccount(accountId: string): number {
    return this.revokeWhere((record) => record.accountId === accountId);
  }

  /** Makes a token expire now, without moving the clock (admin API). */
  expire(token: string): boolean {
    const record = this.tokens.get(token);
    if (!record) return false;
    record.expiresAt = this.clock.now();
    return true;
  }

  list(): TokenRecord[] {
    return [...this.tokens.values()];
  }

  clear(): void {
    this.tokens.clear();
  }

  private revokeWhere(match: (record: TokenRecord) => boolean): number {
    let count = 0;
    for (const record of this.tokens.values()) {
      if (match(record) && !record.revoked) {
        record.revoked = true;
        count += 1;
      }
    }
    return count;
  }
}

export function bearer(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(authorization.trim());
  return match?.[1]?.trim();
}
