import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../database/transactor.js';
import './jobs.tables.js';

/** The job workers' heartbeats (`job_workers`); every method runs in Transactor.current(), bypass. */
@Injectable()
export class WorkerRegistryRepository {
  constructor(private readonly tx: Transactor) {}

  /** Registers the worker afresh (a new start, or back after being taken over). */
  async register(name: string): Promise<void> {
    await sql`
      INSERT INTO job_workers (name) VALUES (${name})
      ON CONFLICT (name) DO UPDATE SET heartbeat_at = now(), released_until = 0, taken_over_at = NULL`.execute(this.tx.current());
  }

  /**
   * The worker's heartbeat, and before it releases held jobs, its claim to them: false when
   * another worker has taken it over meanwhile. The row lock orders this against a takeover, so
   * either the heartbeat comes first (and the worker is not dead) or the worker learns it is.
   */
  async beat(name: string, releasedUntil: number): Promise<boolean> {
    const { rows } = await sql`
      UPDATE job_workers SET heartbeat_at = now(), released_until = greatest(released_until, ${releasedUntil}::bigint)
      WHERE name = ${name} AND taken_over_at IS NULL RETURNING 1`.execute(this.tx.current());
    return rows.length === 1;
  }

  /** Marks as taken over the workers silent for `deadMs`; each with the instant up to which it may have started jobs. */
  async takeOverDead(me: string, deadMs: number): Promise<{ name: string; releasedUntil: number }[]> {
    const { rows } = await sql<{ name: string; released_until: string }>`
      UPDATE job_workers SET taken_over_at = now()
      WHERE name <> ${me} AND taken_over_at IS NULL AND heartbeat_at < now() - make_interval(secs => ${deadMs / 1000}::float8)
      RETURNING name, released_until`.execute(this.tx.current());
    return rows.map((r) => ({ name: r.name, releasedUntil: Number(r.released_until) }));
  }

  /**
   * A worker that was taken over comes back once its taker is done (the taker deletes the row
   * after handing its jobs back) or had ample time (`graceMs`, should the taker have died too);
   * false while the takeover is under way.
   */
  async rejoin(name: string, graceMs: number): Promise<boolean> {
    const { rows } = await sql`
      INSERT INTO job_workers (name) VALUES (${name})
      ON CONFLICT (name) DO UPDATE SET heartbeat_at = now(), released_until = 0, taken_over_at = NULL
      WHERE job_workers.taken_over_at < now() - make_interval(secs => ${graceMs / 1000}::float8)
      RETURNING 1`.execute(this.tx.current());
    return rows.length === 1;
  }

  /** Forgets workers taken over (or silent) for a day, and the worker itself at a clean stop. */
  async forget(name: string | undefined): Promise<void> {
    await sql`
      DELETE FROM job_workers WHERE name = ${name ?? ''} OR heartbeat_at < now() - interval '1 day'`.execute(this.tx.current());
  }
}
