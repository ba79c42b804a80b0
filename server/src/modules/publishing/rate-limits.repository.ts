import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor, type Executor } from '../../platform/database/transactor.js';
import './deliveries.tables.js';

/**
 * Counters, not records: a commit need not wait for its WAL flush (two of the fsyncs every
 * delivery paid; decision 0035). A database crash may forget the last few calls counted, and
 * the network's own 429 then says so, which the engine handles as a wait.
 */
async function relaxedCommit(db: Executor): Promise<void> {
  await sql`SET LOCAL synchronous_commit = off`.execute(db);
}

/** Rate-limit state in PostgreSQL (no Redis): installation-wide, so always through the bypass. */
@Injectable()
export class RateLimitsRepository {
  constructor(private readonly tx: Transactor) {}

  /**
   * In its own short transaction (never the caller's, which may be held across a network call):
   * the latest reset among exhausted buckets of these scopes, or else one call reserved from
   * each live bucket.
   */
  async take(scopes: readonly string[]): Promise<Date | null> {
    return this.tx.withTenantBypass('publishing: shared rate limits', async (db) => {
      // relaxedCommit in the same statement (one round trip less on every delivery's way to its
      // call); evaluated per row, so only when there is something to write.
      const rows = await db.selectFrom('delivery_rate_limits').select(['scope', 'bucket', 'remaining', 'reset_at', sql<string>`set_config('synchronous_commit', 'off', true)`.as('relaxed')]).where('scope', 'in', [...scopes]).where('reset_at', '>', sql<Date>`now()`).forUpdate().execute();
      const blocked = rows.filter((r) => r.remaining <= 0).map((r) => r.reset_at.getTime());
      if (blocked.length > 0) return new Date(Math.max(...blocked));
      if (rows.length > 0) await db.updateTable('delivery_rate_limits').set({ remaining: sql<number>`remaining - 1` }).where('scope', 'in', [...scopes]).where('reset_at', '>', sql<Date>`now()`).execute();
      return null;
    });
  }

  /** What a response said; a newer window replaces an older one, the lower count wins within one. */
  async observe(o: { scope: string; bucket: string; remaining: number; resetAt: Date }): Promise<void> {
    await this.tx.withTenantBypass('publishing: shared rate limits', async (db) => {
      await relaxedCommit(db);
      await db
        .insertInto('delivery_rate_limits')
        .values({ scope: o.scope, bucket: o.bucket, remaining: o.remaining, reset_at: o.resetAt })
        .onConflict((oc) =>
          oc.columns(['scope', 'bucket']).doUpdateSet({
            remaining: sql<number>`CASE WHEN excluded.reset_at > delivery_rate_limits.reset_at + interval '1 second' OR delivery_rate_limits.reset_at <= now() THEN excluded.remaining ELSE least(excluded.remaining, delivery_rate_limits.remaining) END`,
            reset_at: sql<Date>`greatest(excluded.reset_at, delivery_rate_limits.reset_at)`,
          }),
        )
        .execute();
    });
  }
}
