import { randomBytes } from 'node:crypto';
import { sha256 } from '../../platform/crypto/tokens.js';

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32: no I, L, O or U, so a code read off paper is typed back right.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A fresh code: 16 characters, 80 random bits, shown in groups of four. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** What is stored: SHA-256 of the code as typed, give or take case, spaces and dashes. */
export function recoveryCodeHash(code: string): Buffer {
  return sha256(normaliseRecoveryCode(code));
}

export function normaliseRecoveryCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[0-9a-z]{16}$/.test(normaliseRecoveryCode(code));
}
