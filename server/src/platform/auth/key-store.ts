import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { CONFIG } from '../config/config.tokens.js';
import type { Config } from '../config/config.js';
import { SecretBox } from '../crypto/secret-box.js';
import { Transactor } from '../database/transactor.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { SigningKeyRepository } from './signing-key.repository.js';

const ALG = 'EdDSA';
const RELOAD_INTERVAL_MS = 60_000;
const MIN_RELOAD_GAP_MS = 5_000;

interface LoadedKey {
  kid: string;
  publicKey: CryptoKey;
  privateKey: CryptoKey | undefined;
}

/**
 * The asymmetric keys that sign access tokens. Private halves are stored sealed with the
 * secret key; every replica loads them at boot, reloads every minute, and reloads at once when
 * it meets a token signed with a key it has not seen (another replica rotated).
 */
@Injectable()
export class KeyStore implements OnModuleDestroy {
  private keys = new Map<string, LoadedKey>();
  private signingKid: string | undefined;
  private lastLoad = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: SigningKeyRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Creates the first key if there is none, loads all usable keys, starts the reload timer. */
  async start(): Promise<void> {
    await this.tx.withTenantBypass('signing keys are global', async () => {
      const usable = await this.repo.findUsable(new Date());
      if (!usable.some((k) => k.retiredAt === null)) await this.createKey();
    });
    await this.load();
    this.timer = setInterval(() => {
      // A failed reload keeps the keys we have; the next tick or an unknown kid tries again.
      this.load().catch((err: unknown) => this.log.warn({ err }, 'signing key reload failed'));
    }, RELOAD_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Makes a new signing key current; older keys verify for one more access-token lifetime. */
  async rotate(newKid: string = randomUUID()): Promise<string> {
    await this.tx.withTenantBypass('signing keys are global', async () => {
      await this.createKey(newKid);
      await this.repo.retireAllExcept(newKid, new Date(Date.now() + this.config.accessTokenTtlSeconds * 1000 + 60_000));
    });
    await this.load();
    return newKid;
  }

  signingKey(): { kid: string; key: CryptoKey } {
    const loaded = this.signingKid ? this.keys.get(this.signingKid) : undefined;
    if (!loaded?.privateKey) throw new Error('KeyStore not started');
    return { kid: loaded.kid, key: loaded.privateKey };
  }

  /** Whether tokens signed with `kid` are still accepted (the key is loaded and not retired). */
  isUsable(kid: string): boolean {
    return this.keys.has(kid);
  }

  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    const known = this.keys.get(kid);
    if (known) return known.publicKey;
    if (Date.now() - this.lastLoad < MIN_RELOAD_GAP_MS) return undefined;
    await this.load();
    return this.keys.get(kid)?.publicKey;
  }

  /** Seals every private half again under the current secret key (a rotation of GUDDU_SECRET_KEY). */
  async resealAll(): Promise<number> {
    return this.tx.withTenantBypass('signing keys: re-seal under a new secret key', async () => {
      const keys = await this.repo.allSealed();
      for (const k of keys) await this.repo.reseal(k.kid, this.box.reseal(k.sealed, `signing-key:${k.kid}`));
      return keys.length;
    });
  }

  private async createKey(kid: string = randomUUID()): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
    const privateJwk = await exportJWK(privateKey);
    await this.repo.insert({
      kid,
      algorithm: ALG,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG },
      privateKeySealed: this.box.seal(JSON.stringify(privateJwk), `signing-key:${kid}`),
      createdAt: new Date(),
    });
    return kid;
  }

  private async load(): Promise<void> {
    this.lastLoad = Date.now();
    const rows = await this.tx.withTenantBypass('signing keys are global', () => this.repo.findUsable(new Date()));
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      const publicKey = (await importJWK(row.publicJwk as JWK, ALG)) as CryptoKey;
      next.set(row.kid, { kid: row.kid, publicKey, privateKey: undefined });
    }
    const current = rows.find((r) => r.retiredAt === null) ?? rows[0];
    if (current) {
      const jwk = JSON.parse(this.box.open(current.privateKeySealed, `signing-key:${current.kid}`)) as JWK;
      next.get(current.kid)!.privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
    }
    this.keys = next;
    this.signingKid = current?.kid;
  }
}
