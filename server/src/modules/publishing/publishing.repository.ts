import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import './publishing.tables.js';
import type { PublishingSuspensionsTable } from './publishing.tables.js';

export interface BlackoutRow {
  id: string;
  org_id: string;
  starts_on: string;
  ends_on: string;
  zone: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_at: Date;
}

/** Advisory lock namespace of the publishing gate (the first key of the two-key form). */
const GATE_LOCK_SPACE = 710_001;

const SUSPENSION = ['id', 'org_id', 'reason', 'suspended_by', 'suspended_at', 'resumed_by', 'resumed_at'] as const;
export type SuspensionRow = Pick<Selectable<PublishingSuspensionsTable>, (typeof SUSPENSION)[number]>;
const BLACKOUT = ['id', 'org_id', sql<string>`starts_on::text`.as('starts_on'), sql<string>`ends_on::text`.as('ends_on'), 'zone', 'starts_at', 'ends_at', 'reason', 'created_at'] as const;

/** Crisis suspensions, blackout days and the locks that make a suspend airtight. */
@Injectable()
export class PublishingRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /**
   * The publishing side of the serialisation: a shared advisory lock per organisation of the
   * path, held to commit. It waits for a suspend in progress to commit, and holds a suspend back
   * until this transaction ends. Advisory locks queue fairly: once a suspend waits, publishes
   * arriving later wait behind it, so a burst of due posts cannot starve a crisis suspend (row
   * locks would let KEY SHARE lockers overtake a waiting FOR UPDATE).
   */
  async lockPathForPublishing(orgPath: string[]): Promise<void> {
    await sql`SELECT count(pg_advisory_xact_lock_shared(${GATE_LOCK_SPACE}, hashtext(id::text))) FROM unnest(${orgPath}::uuid[]) AS id`.execute(this.db);
  }

  /** The suspending side: exclusive on the organisation, so publishes in flight below it finish first. */
  async lockOrganisationForSuspend(orgId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${GATE_LOCK_SPACE}, hashtext(${orgId}::uuid::text))`.execute(this.db);
  }

  /** The open suspension covering an organisation path, nearest first. */
  async activeSuspension(orgPath: string[]): Promise<SuspensionRow | undefined> {
    return this.db
      .selectFrom('publishing_suspensions')
      .select(SUSPENSION)
      .where('org_id', 'in', orgPath)
      .where('resumed_at', 'is', null)
      .orderBy(sql`cardinality(org_path)`, 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insertSuspension(s: { orgId: string; reason: string; by: string }): Promise<SuspensionRow | undefined> {
    return this.db
      .insertInto('publishing_suspensions')
      .values({ org_id: s.orgId, reason: s.reason, suspended_by: s.by })
      .onConflict((oc) => oc.column('org_id').where('resumed_at', 'is', null).doNothing())
      .returning(SUSPENSION)
      .executeTakeFirst();
  }

  async findSuspension(id: string, opts: { lock?: boolean } = {}): Promise<SuspensionRow | undefined> {
    let q = this.db.selectFrom('publishing_suspensions').select(SUSPENSION).where('id', '=', id);
    if (opts.lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async listSuspensions(limit: number): Promise<SuspensionRow[]> {
    return this.db.selectFrom('publishing_suspensions').select(SUSPENSION).orderBy('suspended_at', 'desc').limit(limit).execute();
  }

  async markResumed(id: string, by: string): Promise<SuspensionRow | undefined> {
    return this.db
      .updateTable('publishing_suspensions')
      .set({ resumed_at: sql`clock_timestamp()`, resumed_by: by } as never)
      .where('id', '=', id)
      .where('resumed_at', 'is', null)
      .returning(SUSPENSION)
      .executeTakeFirst();
  }

  async insertBlackout(b: { orgId: string; startsOn: string; endsOn: string; zone: string; startsAt: Date; endsAt: Date; reason: string; by: string }): Promise<BlackoutRow> {
    return this.db
      .insertInto('blackout_days')
      .values({ org_id: b.orgId, starts_on: b.startsOn, ends_on: b.endsOn, zone: b.zone, starts_at: b.startsAt, ends_at: b.endsAt, reason: b.reason, created_by: b.by })
      .returning(BLACKOUT)
      .executeTakeFirstOrThrow();
  }

  /** Blackouts that apply to the organisation acted in: its own, its ancestors' and its subtree's. */
  async listBlackouts(range: { from: Date; to: Date }): Promise<BlackoutRow[]> {
    return this.db.selectFrom('blackout_days').select(BLACKOUT).where('ends_at', '>', range.from).where('starts_at', '<', range.to).orderBy('starts_at').execute();
  }

  async deleteBlackout(id: string): Promise<BlackoutRow | undefined> {
    const row = await this.db.selectFrom('blackout_days').select(BLACKOUT).where('id', '=', id).where(sql<boolean>`org_id = guddu_current_org()`).executeTakeFirst();
    if (!row) return undefined;
    await this.db.deleteFrom('blackout_days').where('id', '=', id).execute();
    return row;
  }

  /** The blackout covering `at` for an organisation path, if any. */
  async blackoutAt(orgPath: string[], at: Date): Promise<BlackoutRow | undefined> {
    return this.db.selectFrom('blackout_days').select(BLACKOUT).where('org_id', 'in', orgPath).where('starts_at', '<=', at).where('ends_at', '>', at).limit(1).executeTakeFirst();
  }

  /** The organisation with its ancestors, root first. */
  async orgPath(orgId: string): Promise<string[]> {
    const r = await sql<{ path: string[] | null }>`SELECT guddu_org_path(${orgId}::uuid) AS path`.execute(this.db);
    return r.rows[0]?.path ?? [orgId];
  }
}
