import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../../platform/database/transactor.js';
import './sso.tables.js';

/** How long a verified assertion waits for its browser to come to the callback. */
export const SAML_HANDLE_TTL_MS = 5 * 60_000;

/** Accepted assertions (replay protection) and their verified results awaiting the callback (bypass only). */
@Injectable()
export class SamlAssertionsRepository {
  constructor(private readonly tx: Transactor) {}

  /**
   * Records an accepted assertion; false when the IdP's assertion ID was seen before (a replay).
   * Atomic: of two deliveries of the same assertion at once, exactly one records it.
   */
  async record(a: { providerId: string; assertionId: string; handleHash: Buffer; resultSealed: string; expiresAt: Date }): Promise<boolean> {
    await this.tx.current().deleteFrom('sso_saml_assertions').where('expires_at', '<', new Date()).execute();
    const row = await this.tx
      .current()
      .insertInto('sso_saml_assertions')
      .values({ provider_id: a.providerId, assertion_id: a.assertionId, handle_hash: a.handleHash, result_sealed: a.resultSealed, expires_at: a.expiresAt })
      .onConflict((oc) => oc.columns(['provider_id', 'assertion_id']).doNothing())
      .returning('assertion_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Claims a verified result by its handle: once, and only while fresh. */
  async claim(handleHash: Buffer): Promise<{ providerId: string; resultSealed: string } | undefined> {
    const row = await this.tx
      .current()
      .updateTable('sso_saml_assertions')
      .set({ completed_at: new Date() })
      .where('handle_hash', '=', handleHash)
      .where('completed_at', 'is', null)
      .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${SAML_HANDLE_TTL_MS / 1000})`)
      .returning(['provider_id', 'result_sealed'])
      .executeTakeFirst();
    return row && { providerId: row.provider_id, resultSealed: row.result_sealed };
  }
}
