import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../platform/config/config.js';
import type { AppError } from '../../platform/errors/app-error.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { identityError } from './identity.errors.js';
import { ThrottleRepository } from './throttle.repository.js';

/**
 * Sign-in throttling per IP (every attempt counts) and per account (failures count: every
 * attempt counts until a success clears it). The account key is the normalised email, so an
 * unknown email is throttled like a known one and the answer reveals nothing. Call inside a
 * bypass transaction.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly repo: ThrottleRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Counts a sign-in start that names no account (passkey options) against the IP alone. */
  async admitIp(ip: string | undefined): Promise<AppError | undefined> {
    if (!ip) return undefined;
    const t = this.config.loginThrottle;
    const hit = await this.repo.hit(`ip:${ip}`, t.ipWindowSeconds);
    return hit.count > t.maxAttemptsPerIp ? tooMany(hit.windowStartedAt, t.ipWindowSeconds) : undefined;
  }

  /**
   * Counts the attempt against the IP and, provisionally, as a failure against the account, and
   * returns the 429 to answer when either is over its limit. Counting before the password is
   * checked is what makes the account limit hold against parallel guesses: each of them has
   * already been counted when the next one asks. A success clears the account's count. The
   * price: more simultaneous sign-ins to one account than its limit are refused too.
   * It returns rather than throws so that the caller can commit the count first.
   */
  async admit(email: string, ip: string | undefined): Promise<AppError | undefined> {
    const t = this.config.loginThrottle;
    if (ip) {
      const hit = await this.repo.hit(`ip:${ip}`, t.ipWindowSeconds);
      if (hit.count > t.maxAttemptsPerIp) return tooMany(hit.windowStartedAt, t.ipWindowSeconds);
    }
    const account = await this.repo.hit(`account:${email}`, t.accountWindowSeconds);
    if (account.count > t.maxFailuresPerAccount) return tooMany(account.windowStartedAt, t.accountWindowSeconds);
    return undefined;
  }

  /**
   * Counts a second-factor attempt against the user, provisionally as a failure, as admit()
   * does for passwords: a six-digit code is guessable, so its attempts are capped per account.
   * Call in a transaction of its own, so the count commits whatever the code turns out to be.
   */
  async admitSecondFactor(userId: string): Promise<AppError | undefined> {
    const t = this.config.loginThrottle;
    const hit = await this.repo.hit(`mfa:${userId}`, t.accountWindowSeconds);
    if (hit.count > t.maxFailuresPerAccount) return tooMany(hit.windowStartedAt, t.accountWindowSeconds, 'mfa_throttled');
    return undefined;
  }

  async recordSecondFactorSuccess(userId: string): Promise<void> {
    await this.repo.clear(`mfa:${userId}`);
  }

  /** The password was right: the provisional failure counted by admit() is forgiven. */
  async recordSuccess(email: string): Promise<void> {
    await this.repo.clear(`account:${email}`);
  }
}

function tooMany(windowStartedAt: Date, windowSeconds: number, code: 'login_throttled' | 'mfa_throttled' = 'login_throttled') {
  const retryAfter = Math.max(1, Math.ceil((windowStartedAt.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
  const message = code === 'login_throttled' ? 'Too many sign-in attempts; try again later' : 'Too many second-factor attempts; try again later';
  return identityError(code, message, { retryAfterSeconds: retryAfter }, {
    headers: { 'retry-after': String(retryAfter) },
  });
}
