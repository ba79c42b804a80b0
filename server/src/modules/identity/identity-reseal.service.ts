import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { FactorsRepository } from './factors.repository.js';
import { totpSealContext } from './second-factors.js';
import { IdentityProvidersRepository, idpSecretContext } from './sso/identity-providers.repository.js';

/**
 * A rotation of GUDDU_SECRET_KEY for what sign-in keeps sealed: every TOTP secret and every
 * OIDC client secret is opened (the previous key still opens it) and sealed again under the new
 * key, in one transaction with the rows locked, so an enrolment racing it is not overwritten.
 */
@Injectable()
export class IdentityReseal {
  constructor(
    private readonly tx: Transactor,
    private readonly factors: FactorsRepository,
    private readonly providers: IdentityProvidersRepository,
    private readonly box: SecretBox,
  ) {}

  async resealAll(): Promise<{ totpSecrets: number; identityProviders: number }> {
    return this.tx.withTenantBypass('identity: re-seal under a new secret key', async () => {
      const totp = await this.factors.allTotpSealed();
      for (const t of totp) await this.factors.resealTotp(t.user_id, this.box.reseal(t.secret_sealed, totpSealContext(t.user_id)));
      const idps = await this.providers.allSealed();
      for (const p of idps) await this.providers.reseal(p.id, this.box.reseal(p.client_secret_sealed, idpSecretContext(p.id)));
      return { totpSecrets: totp.length, identityProviders: idps.length };
    });
  }
}
