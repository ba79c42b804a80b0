import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import './identity.tables.js';

/**
 * Fixed-window counters in PostgreSQL, so every replica sees the same count. Sign-in is rare
 * enough that a row per key and an upsert per attempt cost nothing that matters.
 */
@Injectable()
export class ThrottleRepository {
  constructor(private readonly tx: Transactor) {}

  /** Adds one to the key's window (starting a new window when the old one has passed). */
  async hit(key: string, windowSeconds: number): Promise<{ count: number; windowStartedAt: Date }> {
    const { rows } = await sql<{ count: number; window_started_at: Date }>`
      INSERT INTO auth_throttle AS t (key, window_started_at, count) VALUES (${key}, now(), 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN t.window_started_at < now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE t.count + 1 END,
        window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => ${windowSeconds})
                                 THEN now() ELSE t.window_started_at END
      RETURNING count, window_started_at`.execute(this.tx.current());
    return { count: rows[0]!.count, windowStartedAt: rows[0]!.window_started_at };
  }

  async clear(key: string): Promise<void> {
    await this.tx.current().deleteFrom('auth_throttle').where('key', '=', key).execute();
  }
}
