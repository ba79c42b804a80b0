import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { platformError } from '../../platform/errors/app-error.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { FactorsRepository } from './factors.repository.js';
import type { SecondFactorMethod } from './identity.tables.js';
import { looksLikeRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeHash } from './recovery-codes.js';
import { matchTotp, newTotpSecret } from './totp.js';

/** The sealing context binds a TOTP secret to its user: a sealed value copied to another row does not open. */
/** Also what identity-reseal seals under a new key. */
export const totpSealContext = (userId: string) => `mfa-totp:${userId}`;

/** A user with either kind of factor has something to show at sign-in and for step-up. */
export const hasFactor = (e: { totp: boolean; passkeys: number }) => e.totp || e.passkeys > 0;

/**
 * Adding a factor makes the session count as having shown one, so a user who already has a
 * factor must have shown one lately: else a session held to `verify` (a password alone, an SSO
 * sign-in) could enrol a second factor of its own choosing and so skip the one it was asked for.
 */
export function assertFreshFactorToAdd(ctx: RequestContext, enrolled: { totp: boolean; passkeys: number }, now = Date.now()): void {
  if (!hasFactor(enrolled)) return;
  const state = ctx.secondFactor;
  const minutes = state?.stepUpMinutes ?? 10;
  if (state?.verifiedAt && now - state.verifiedAt.getTime() <= minutes * 60_000) return;
  throw platformError('step_up_required', `Adding a factor needs one you already have, shown within the last ${minutes} minutes`, { maxAgeMinutes: minutes });
}

/**
 * Checking a code against a user's factors, in the caller's transaction: a six-digit code
 * against the confirmed TOTP secret (window ±1 step, never a step already used), anything else
 * as a recovery code (spent on use).
 */
@Injectable()
export class SecondFactors {
  constructor(
    private readonly factors: FactorsRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  async verify(userId: string, code: string): Promise<SecondFactorMethod | undefined> {
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) {
      const totp = await this.factors.findTotp(userId, { forUpdate: true });
      if (!totp?.confirmedAt) return undefined;
      const step = await matchTotp(this.box.open(totp.secretSealed, totpSealContext(userId)), trimmed, totp.lastUsedStep);
      if (step === undefined) return undefined;
      await this.factors.recordTotpStep(userId, step);
      return 'totp';
    }
    if (!looksLikeRecoveryCode(trimmed)) return undefined;
    return (await this.factors.spendRecoveryCode(userId, recoveryCodeHash(trimmed))) ? 'recovery_code' : undefined;
  }

  /** A pending secret, sealed at rest; returned in the clear once, for the QR code. */
  async startTotp(userId: string): Promise<string> {
    const secret = newTotpSecret();
    await this.factors.putPendingTotp(userId, this.box.seal(secret, totpSealContext(userId)));
    return secret;
  }

  /** The step the code matched, when it is the pending secret's. */
  async matchPending(userId: string, code: string): Promise<{ step: number } | 'not_pending' | 'wrong_code'> {
    const totp = await this.factors.findTotp(userId, { forUpdate: true });
    if (!totp || totp.confirmedAt) return 'not_pending';
    const step = await matchTotp(this.box.open(totp.secretSealed, totpSealContext(userId)), code.trim(), null);
    return step === undefined ? 'wrong_code' : { step };
  }

  /** New recovery codes, replacing any earlier set; the codes are returned once and stored hashed. */
  async issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.factors.replaceRecoveryCodes(userId, codes.map(recoveryCodeHash));
    return codes;
  }
}
