import type { SecondFactorState, SsoState } from '../context/request-context.js';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type pg from 'pg';
import { bindConnection, currentFrame, runInFrame, type BoundFrame } from './database.js';
import { DB, PG_POOL, type Db } from './database.tokens.js';
import { APP_ROLE } from './roles.js';
import { LOGGER, type Logger } from '../logging/logger.js';

/** What repositories query through: the one Kysely instance, routed to the unit of work's connection. */
export type Executor = Db;

export interface TenantScope {
  orgId: string;
  userId?: string | undefined;
}

export interface RequestAccess {
  sessionOk: boolean;
  roles: string[];
  secondFactor: SecondFactorState;
  sso: SsoState;
}

type RequestContextRow = {
  session_ok: boolean;
  roles: string[];
  mfa_at: Date | string | null;
  mfa_method: 'totp' | 'recovery_code' | 'passkey' | null;
  has_factor: boolean;
  mfa_required_for: 'nobody' | 'publishers' | 'everyone' | null;
  step_up_minutes: number | null;
  sign_in_method: string | null;
  sso_on_path: boolean | null;
  sso_required_for: 'nobody' | 'publishers' | 'everyone' | null;
  sso_providers: SsoState['providers'] | null;
};

interface Frame extends BoundFrame {
  scope: TenantScope | 'bypass';
  /** Work that must follow the commit of this unit (e.g. arming a queue job for a row it wrote). */
  afterCommit: (() => Promise<unknown>)[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids go into the opening statement as literals (see `open`), so they must be exactly UUIDs. */
function uuidLiteral(value: string | undefined, what: string): string {
  if (value === undefined || value === '') return "''";
  if (!UUID.test(value)) throw new Error(`${what} is not a UUID`);
  return `'${value.toLowerCase()}'`;
}

function tenantSettings(scope: TenantScope): string {
  return `set_config('role', '${APP_ROLE}', true) AS role_set,
          set_config('guddu.org_id', ${uuidLiteral(scope.orgId, 'orgId')}, true) AS org_set,
          set_config('guddu.user_id', ${uuidLiteral(scope.userId, 'userId')}, true) AS user_set`;
}

/**
 * Every query a repository makes runs inside a transaction opened here, found through
 * AsyncLocalStorage so that services do not thread a handle through every call.
 *
 * - `inTenant` switches to the unprivileged role and sets the caller's organisation: row-level
 *   security then limits every statement to that tenant, whatever the WHERE clause says.
 * - `inRequest` does the same and, in the same round trip, checks the caller's session and
 *   roles; it is the hot path of every API call.
 * - `withTenantBypass` is the one greppable escape hatch for work that is not one tenant's
 *   (sign-in before the tenant is known, system jobs, the CLI). It needs a reason.
 *
 * A unit of work holds one pooled connection; the opening statement is sent as one simple-
 * protocol round trip ("BEGIN; SELECT set_config(...)"), which is why ids are inlined after a
 * strict UUID check rather than bound as parameters.
 */
@Injectable()
export class Transactor {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The transaction of the current unit of work; a repository call outside one is a bug. */
  current(): Executor {
    if (!currentFrame<Frame>()) throw new Error('database access outside Transactor.inTenant/withTenantBypass');
    return this.db;
  }

  currentScope(): TenantScope | 'bypass' | undefined {
    return currentFrame<Frame>()?.scope;
  }

  /**
   * Runs `fn` once the current unit of work has committed (never if it rolls back). For effects
   * outside PostgreSQL that must not happen for a change that did not; if the process dies in
   * between, whatever `fn` does must be recoverable from the committed rows (the scheduler's
   * sweep re-arms missing jobs, for instance). A failure of `fn` is logged, not thrown: the
   * commit has happened.
   */
  afterCommit(fn: () => Promise<unknown>): void {
    const frame = currentFrame<Frame>();
    if (!frame) throw new Error('afterCommit outside a unit of work');
    frame.afterCommit.push(fn);
  }

  async inTenant<T>(scope: TenantScope, fn: (trx: Executor) => Promise<T>): Promise<T> {
    return this.unitOfWork(`BEGIN; SELECT ${tenantSettings(scope)}`, scope, () => fn(this.db));
  }

  /**
   * Like inTenant, and in the same round trip asks PostgreSQL whether the session is live and
   * which roles the user holds in the organisation (directly or on an ancestor).
   */
  async inRequest<T>(
    scope: Required<TenantScope> & { sessionId: string },
    fn: (access: RequestAccess) => Promise<T>,
  ): Promise<T> {
    // Three statements, one round trip: begin, the access check (a security-definer function:
    // it must see memberships on ancestors, which the tenant policy hides), the switch to the
    // tenant.
    const user = uuidLiteral(scope.userId, 'userId');
    const org = uuidLiteral(scope.orgId, 'orgId');
    const opening = `BEGIN;
      SELECT * FROM guddu_request_context(${user}::uuid, ${org}::uuid, ${uuidLiteral(scope.sessionId, 'sessionId')}::uuid);
      SELECT ${tenantSettings(scope)}`;
    return this.unitOfWork(opening, scope, (opened) => {
      const row = opened[1]?.rows[0] as RequestContextRow | undefined;
      return fn({
        sessionOk: row?.session_ok ?? false,
        roles: row?.roles ?? [],
        secondFactor: {
          verifiedAt: row?.mfa_at ? new Date(row.mfa_at) : null,
          method: row?.mfa_method ?? null,
          enrolled: row?.has_factor ?? false,
          requiredFor: row?.mfa_required_for ?? 'nobody',
          stepUpMinutes: row?.step_up_minutes ?? 10,
        },
        sso: { method: row?.sign_in_method ?? null, providerOnPath: row?.sso_on_path ?? false, requiredFor: row?.sso_required_for ?? 'nobody', providers: row?.sso_providers ?? [] },
      });
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
      await sql.raw(`SELECT ${tenantSettings(scope)}`).execute(trx);
      const outer = currentFrame<Frame>()!;
      return { ran: true as const, value: await runInFrame<Frame, T>({ ...outer, scope }, () => fn(trx)) };
    });
  }

  async withTenantBypass<T>(reason: string, fn: (trx: Executor) => Promise<T>): Promise<T> {
    if (!reason) throw new Error('withTenantBypass needs a reason');
    return this.unitOfWork('BEGIN', 'bypass', () => fn(this.db));
  }

  private async unitOfWork<T>(opening: string, scope: Frame['scope'], fn: (opened: pg.QueryResult[]) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    let released = false;
    const frame = { scope, afterCommit: [] as Frame['afterCommit'] };
    try {
      const opened = (await client.query(opening)) as unknown as pg.QueryResult | pg.QueryResult[];
      const results = Array.isArray(opened) ? opened : [opened];
      const value = await bindConnection(client, frame, () => fn(results));
      const commit = await client.query('COMMIT');
      // PostgreSQL answers COMMIT with ROLLBACK when a statement failed and its error was
      // swallowed: the work did not happen, so the caller must not believe it did.
      if (commit.command === 'ROLLBACK') throw new Error('transaction was aborted by an earlier error');
      client.release();
      released = true;
      await this.runAfterCommit(frame);
      return value;
    } catch (err) {
      if (released) throw err;
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error; // a connection that cannot roll back is not reused
      }
      throw err;
    } finally {
      if (!released) client.release(broken);
    }
  }

  private async runAfterCommit(frame: Pick<Frame, 'afterCommit'>): Promise<void> {
    for (const fn of frame.afterCommit) {
      try {
        await fn();
      } catch (err) {
        this.log.error({ err }, 'work after a commit failed; it must be recovered from the committed state');
      }
    }
  }
}
