import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import '../../platform/events/outbox.tables.js';
import type { LiveEvent } from './realtime-events.js';

/** The most positions a look-back for late commits scans. */
const LATE_COMMIT_POSITIONS = 10_000;

export interface Standing {
  sessionOk: boolean;
  memberships: { orgId: string; role: string }[];
}

/** What the live feed reads: who listens, where an event belongs, and what a listener missed. */
@Injectable()
export class RealtimeRepository {
  constructor(private readonly tx: Transactor) {}

  /** Whether the session is live and where its user holds roles. Run in a bypass: memberships span organisations. */
  async standing(userId: string, sessionId: string): Promise<Standing> {
    const { rows } = await sql<{ session_ok: boolean; memberships: { orgId: string; role: string }[] | null }>`
      SELECT
        EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = ${sessionId} AND s.user_id = ${userId} AND s.revoked_at IS NULL
                  AND s.expires_at > now() AND u.status = 'active') AS session_ok,
        (SELECT json_agg(json_build_object('orgId', m.org_id, 'role', m.role))
           FROM memberships m WHERE m.user_id = ${userId}) AS memberships`.execute(this.tx.current());
    const row = rows[0];
    return { sessionOk: row?.session_ok ?? false, memberships: row?.memberships ?? [] };
  }

  /** Of these sessions, those no longer live: signed out, expired, or their user deactivated. Run in a bypass. */
  async endedSessions(sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const { rows } = await sql<{ id: string }>`
      SELECT ids.id FROM unnest(${sessionIds}::uuid[]) AS ids(id)
      WHERE NOT EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.id = ids.id AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active')`.execute(this.tx.current());
    return rows.map((r) => r.id);
  }

  /** The event's organisation path (root first) and outbox position; read in the event's organisation. */
  async placeOf(eventId: string): Promise<{ orgPath: string[]; position: number } | undefined> {
    const row = await this.tx
      .current()
      .selectFrom('outbox_events as e')
      .innerJoin('organisations as o', 'o.id', 'e.org_id')
      .select(['o.id', 'o.ancestry', 'e.position'])
      .where('e.id', '=', eventId)
      .executeTakeFirst();
    return row ? { orgPath: [...row.ancestry, row.id], position: Number(row.position) } : undefined;
  }

  /** Events after a position in the current organisation and below (row-level security), oldest first. */
  async eventsAfter(after: number, names: readonly string[], limit: number): Promise<LiveEvent[]> {
    if (names.length === 0) return [];
    const rows = await this.tx
      .current()
      .selectFrom('outbox_events')
      .select(['position', 'id', 'name', 'org_id', 'aggregate_type', 'aggregate_id', 'occurred_at', 'payload'])
      .where('position', '>', after)
      .where('name', 'in', names)
      .orderBy('position')
      .limit(limit)
      .execute();
    return rows.map(toLive);
  }

  /**
   * The recent events at or below a position, oldest first. Positions are taken at insert, not
   * at commit: a transaction that commits late puts its event below a position a listener has
   * already seen. So what happened in the last `seconds` before `at` is sent again (a bounded
   * range of the primary key); listeners drop what they already have by event id.
   */
  async recentUpTo(at: number, names: readonly string[], seconds: number, limit: number): Promise<LiveEvent[]> {
    if (names.length === 0) return [];
    const rows = await this.tx
      .current()
      .selectFrom('outbox_events')
      .select(['position', 'id', 'name', 'org_id', 'aggregate_type', 'aggregate_id', 'occurred_at', 'payload'])
      .where('position', '<=', at)
      .where('position', '>', at - LATE_COMMIT_POSITIONS)
      .where('occurred_at', '>', sql<Date>`now() - make_interval(secs => ${seconds})`)
      .where('name', 'in', names)
      .orderBy('position')
      .limit(limit)
      .execute();
    return rows.map(toLive);
  }


  /** The outbox's oldest and newest positions, across tenants: numbers only (migration 0018). */
  async bounds(): Promise<{ oldest: number | null; newest: number }> {
    const { rows } = await sql<{ oldest: string | null; newest: string | null }>`
      SELECT oldest, newest FROM guddu_outbox_bounds()`.execute(this.tx.current());
    const r = rows[0];
    return { oldest: r?.oldest == null ? null : Number(r.oldest), newest: r?.newest == null ? 0 : Number(r.newest) };
  }
}

type OutboxRow = { position: string | number | bigint; id: string; name: string; org_id: string; aggregate_type: string; aggregate_id: string; occurred_at: Date; payload: unknown };

function toLive(r: OutboxRow): LiveEvent {
  return {
    id: r.id,
    position: Number(r.position),
    name: r.name,
    orgId: r.org_id,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    occurredAt: r.occurred_at.toISOString(),
    payload: r.payload,
  };
}
