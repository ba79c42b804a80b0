import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { PG_POOL } from './database.tokens.js';
import { pendingMigrations } from './migrator.js';

/** What readiness asks of the database: does it answer, and is its schema current. */
@Injectable()
export class DatabaseHealth {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /** Resolves when the database answers a query; rejects with the driver's error otherwise. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Migrations present in the code and not yet applied, by name. */
  pendingMigrations(): Promise<string[]> {
    return pendingMigrations(this.pool);
  }
}
