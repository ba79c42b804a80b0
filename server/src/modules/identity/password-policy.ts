import { createRequire } from 'node:module';
import type * as LanguageCommon from '@zxcvbn-ts/language-common';

/*
 * Password rules after NIST SP 800-63B: length is what makes a memorised secret strong, so we
 * ask for 12+ characters, welcome long passphrases in any script and impose no composition rules
 * (they only push people to "Password1!"). Instead we refuse what attackers try first: known
 * common passwords, the user's own name or email, and repeated or sequential characters.
 */

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_identity' | 'repetitive';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** NFKC, so a passphrase typed on any keyboard or input method checks and hashes the same. */
export function normalisePassword(pw: string): string {
  return pw.normalize('NFKC');
}

/** The first problem found, or undefined when the password is acceptable. */
export function checkPassword(password: string, identity: { email?: string; displayName?: string }): PasswordProblem | undefined {
  // NFKC folds at most a few UTF-16 units into a code point: this generous cut only bounds hostile input.
  if (password.length > PASSWORD_MAX_LENGTH * 16) return 'too_long';
  const pw = normalisePassword(password);
  const length = [...pw].length; // code points, as NIST counts them, not UTF-16 units
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = pw.toLowerCase();
  if (isRepetitive([...lower]) || isRepetitive([...lower.replace(SEPARATORS, '')])) return 'repetitive';
  if (isIdentity(lower, identity)) return 'contains_identity';
  if (isCommon(lower)) return 'common';
  return undefined;
}

// ~49,000 common passwords (lower-case) from @zxcvbn-ts/language-common; see docs/decisions/0005.
// Loaded on first use rather than at import: the package decompresses its list when loaded.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof LanguageCommon;
    common = new Set(dictionary['passwords-common'].map((p) => normalisePassword(p).toLowerCase()));
  }
  return common;
}

// "Password123!" is "password123" dressed up, so also try it without symbols at either end.
const EDGE_SYMBOLS = /^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu;
function isCommon(lower: string): boolean {
  const list = commonPasswords();
  return list.has(lower) || list.has(lower.replace(EDGE_SYMBOLS, ''));
}

// Letters only: digits, punctuation and case are the trivial variations ("Alice.Smith-1990!").
const lettersOf = (s: string) => normalisePassword(s).toLowerCase().replace(/[^\p{L}\p{M}]/gu, '');

/** The password's letters are the email, its local part, the display name or one of their words, repeated or reversed. */
function isIdentity(lower: string, { email, displayName }: { email?: string; displayName?: string }): boolean {
  const letters = lettersOf(lower);
  if (!letters) return false;
  const local = email?.replace(/@[^@]*$/, '');
  const names = [email, local, displayName].flatMap((s) => (s ? [s, ...s.split(/[^\p{L}\p{M}]+/u)] : []));
  const isRepeatOf = (unit: string) => letters.length % unit.length === 0 && unit.repeat(letters.length / unit.length) === letters;
  return names.some((name) => {
    const n = lettersOf(name);
    return [...n].length >= 2 && (isRepeatOf(n) || isRepeatOf([...n].reverse().join('')));
  });
}

// Digits, alphabet and keyboard (row after row), each read as a cycle: "7890", "xyza", "opas" are runs.
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '!@#$%^&*()'];
const SEPARATORS = /[\s._-]/gu;
const MIN_RUN = 3;

/** The kinds of trivial step a→b is: '=' for the same character, or one place up or down a sequence. */
function steps(a: string, b: string): string[] {
  if (a === b) return ['='];
  return SEQUENCES.flatMap((seq, i) => {
    const from = seq.indexOf(a);
    const to = seq.indexOf(b);
    if (from < 0 || to < 0) return [];
    const d = (to - from + seq.length) % seq.length;
    return d === 1 ? [`${i}+`] : d === seq.length - 1 ? [`${i}-`] : [];
  });
}

/** A short unit repeated ("abababababab"), or nothing but runs of 3+ characters stepping one way ("aaaa", "1234abcd"). */
function isRepetitive(chars: string[]): boolean {
  if (chars.length === 0) return false;
  for (let unit = 1; unit <= 3; unit++) if (chars.every((c, i) => c === chars[i % unit])) return true;
  let run = 1;
  let kinds: string[] = [];
  for (let i = 1; i < chars.length; i++) {
    const step = steps(chars[i - 1]!, chars[i]!);
    const shared = run === 1 ? step : kinds.filter((k) => step.includes(k));
    if (shared.length > 0) {
      kinds = shared;
      run++;
    } else if (run < MIN_RUN) {
      return false;
    } else {
      run = 1;
    }
  }
  return run >= MIN_RUN;
}
