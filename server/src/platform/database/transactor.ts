import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { sql, type Transaction } from 'kysely';
import type { Database } from './database.types.js';
import { DB, type Db } from './database.tokens.js';
import { APP_ROLE } from './roles.js';

export type Executor = Transaction<Database>;

export interface TenantScope {
  orgId: string;
  userId?: string | undefined;
}

interface Frame {
  trx: Executor;
  scope: TenantScope | 'bypass';
}

/**
 * Every query a repository makes runs inside a transaction opened here, found through
 * AsyncLocalStorage so that services do not thread a handle through every call.
 *
 * - `inTenant` switches to the unprivileged role and sets the caller's organisation: row-level
 *   security then limits every statement to that tenant, whatever the WHERE clause says.
 * - `withTenantBypass` is the one greppable escape hatch for work that is not one tenant's
 *   (sign-in before the tenant is known, system jobs, the CLI). It needs a reason.
 */
@Injectable()
export class Transactor {
  private readonly als = new AsyncLocalStorage<Frame>();

  constructor(@Inject(DB) private readonly db: Db) {}

  /** The transaction of the current unit of work; a repository call outside one is a bug. */
  current(): Executor {
    const frame = this.als.getStore();
    if (!frame) throw new Error('database access outside Transactor.inTenant/withTenantBypass');
    return frame.trx;
  }

  currentScope(): TenantScope | 'bypass' | undefined {
    return this.als.getStore()?.scope;
  }

  async inTenant<T>(scope: TenantScope, fn: (trx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('role', ${APP_ROLE}, true),
                       set_config('guddu.org_id', ${scope.orgId}, true),
                       set_config('guddu.user_id', ${scope.userId ?? ''}, true)`.execute(trx);
      return this.als.run({ trx, scope }, () => fn(trx));
    });
  }

  /**
   * Like inTenant, and in the same round trip asks PostgreSQL whether the session is live and
   * which roles the user holds in the organisation (directly or on an ancestor).
   */
  async inRequest<T>(
    scope: Required<TenantScope> & { sessionId: string },
    fn: (access: { sessionOk: boolean; roles: string[] }) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ session_ok: boolean; roles: string[] }>`
        SELECT s.role_set, c.session_ok, c.roles
        FROM (SELECT set_config('role', ${APP_ROLE}, true) AS role_set,
                     set_config('guddu.org_id', ${scope.orgId}, true) AS org_set,
                     set_config('guddu.user_id', ${scope.userId}, true) AS user_set) AS s
        CROSS JOIN LATERAL guddu_request_context(${scope.userId}::uuid, ${scope.orgId}::uuid, ${scope.sessionId}::uuid) AS c`.execute(trx);
      const row = rows[0];
      return this.als.run({ trx, scope }, () =>
        fn({ sessionOk: row?.session_ok ?? false, roles: row?.roles ?? [] }),
      );
    });
  }

  /**
   * One transaction in two steps: `first` runs as the connecting role (e.g. an event
   * subscriber's dedup claim in a system table); when it returns true, the transaction drops to
   * the tenant, as inTenant does, for `fn`. So a claim and the effect it guards commit together
   * while the effect stays under row-level security.
   */
  async systemThenTenant<T>(
    reason: string,
    first: (trx: Executor) => Promise<boolean>,
    scope: TenantScope,
    fn: (trx: Executor) => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    return this.withTenantBypass(reason, async (trx) => {
      if (!(await first(trx))) return { ran: false as const };
      await sql`SELECT set_config('role', ${APP_ROLE}, true),
                       set_config('guddu.org_id', ${scope.orgId}, true),
                       set_config('guddu.user_id', ${scope.userId ?? ''}, true)`.execute(trx);
      return { ran: true as const, value: await this.als.run({ trx, scope }, () => fn(trx)) };
    });
  }

  async withTenantBypass<T>(reason: string, fn: (trx: Executor) => Promise<T>): Promise<T> {
    if (!reason) throw new Error('withTenantBypass needs a reason');
    return this.db.transaction().execute((trx) => this.als.run({ trx, scope: 'bypass' }, () => fn(trx)));
  }
}
