import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) for secrets at rest: signing keys, social network
 * tokens. The sealed form names its version so the scheme can change without ambiguity. During a
 * rotation of the secret key, the previous key still opens what it sealed; `reseal` moves a
 * value to the current key.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    private readonly previous?: Buffer,
  ) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    if (previous && previous.length !== 32) throw new Error('SecretBox needs a 32-byte previous key');
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Throws when the ciphertext was altered, sealed for another context, or with another key. */
  open(sealed: string, context = ''): string {
    try {
      return this.openWith(this.key, sealed, context);
    } catch (err) {
      if (!this.previous) throw err;
      return this.openWith(this.previous, sealed, context);
    }
  }

  /** The same secret sealed under the current key. */
  reseal(sealed: string, context = ''): string {
    return this.seal(this.open(sealed, context), context);
  }

  private openWith(key: Buffer, sealed: string, context: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
