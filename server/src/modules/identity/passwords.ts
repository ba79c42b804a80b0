import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { normalisePassword } from './password-policy.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes and checks passwords. A check against an unknown account still runs a full argon2
 * verification (against a throwaway hash), so the answer takes as long whether or not the
 * account exists.
 */
@Injectable()
export class Passwords {
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(normalisePassword(password), PARAMS);
  }

  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    const target = storedHash ?? (await (this.dummy ??= hash('guddu-timing-equaliser', PARAMS)));
    try {
      const ok = await verify(target, normalisePassword(password));
      return ok && storedHash !== undefined;
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  }
}
