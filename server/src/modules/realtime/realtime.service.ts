import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { permissionsOf } from '../../platform/access/permissions.js';
import { AccessTokens } from '../../platform/auth/access-tokens.js';
import { sessionStanding } from '../../platform/auth/second-factor-rule.js';
import { ssoRefusal, ssoRequired, ssoSatisfied } from '../../platform/auth/sso-rule.js';
import type { SsoState } from '../../platform/context/request-context.js';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { platformError } from '../../platform/errors/app-error.js';
import type { EventEnvelope } from '../../platform/events/events.types.js';
import { LIVE_EVENTS, namesVisibleWith, type LiveEvent, type LiveEventName } from './realtime-events.js';
import { roomsOfEvent, roomsOfMembership } from './realtime-rooms.js';
import { RealtimeRepository } from './realtime.repository.js';

/** More missed events than this and a client reloads what it shows instead of replaying. */
export const CATCH_UP_LIMIT = 500;
/**
 * An event's outbox position is taken when its transaction inserts it, not when it commits, so
 * one can appear below a position a listener already holds. Catch-up and polling send the last
 * this many seconds again; listeners deduplicate by event id.
 */
export const LATE_COMMIT_SECONDS = 30;

export interface Listener {
  userId: string;
  sessionId: string;
  memberships: { orgId: string; role: string }[];
  rooms: string[];
  /** When the access token that admitted it expires: the socket is closed then. */
  expiresAt: number;
}

export type CatchUp = { resync: false; events: LiveEvent[]; position: number } | { resync: true; events: []; position: number };

/**
 * Who may listen, what they hear and what they missed. The same rules serve the socket and the
 * polling fallback: events named in LIVE_EVENTS, in organisations at or below a membership,
 * with the permission that event needs.
 */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly repo: RealtimeRepository,
    private readonly tx: Transactor,
    private readonly tokens: AccessTokens,
  ) {}

  /** A socket's admission: a valid access token of a live session; its rooms from the user's memberships. */
  async admit(token: string): Promise<Listener> {
    const claims = await this.tokens.verify(token);
    const standing = await this.tx.withTenantBypass('realtime: a listener’s memberships span organisations', () =>
      this.repo.standing(claims.sub, claims.sid),
    );
    if (!standing.sessionOk) throw platformError('session_revoked', 'The session has ended; sign in again');
    const memberships = await this.withFullStanding(claims.sub, claims.sid, claims.org, standing.memberships);
    const exp = decodeJwt(token).exp;
    return {
      userId: claims.sub,
      sessionId: claims.sid,
      memberships,
      rooms: memberships.flatMap((m) => roomsOfMembership(m.orgId, m.role)),
      expiresAt: (exp ?? 0) * 1000,
    };
  }

  /** Which of these sessions have ended since their sockets were admitted. */
  endedSessions(sessionIds: string[]): Promise<string[]> {
    return this.tx.withTenantBypass('realtime: sockets of every organisation are re-checked together', () => this.repo.endedSessions(sessionIds));
  }

  /**
   * The second-factor rule the request pipeline applies, per membership organisation: a socket
   * hears only organisations where the session may do everything. A session held to enrolling
   * or verifying in its own organisation (or everywhere) gets no socket at all.
   */
  private async withFullStanding(
    userId: string,
    sessionId: string,
    sessionOrg: string,
    memberships: Listener['memberships'],
  ): Promise<Listener['memberships']> {
    const full: Listener['memberships'] = [];
    let held: 'enrol' | 'verify' | SsoState | undefined;
    for (const m of memberships) {
      const standing = await this.tx.inRequest({ orgId: m.orgId, userId, sessionId }, async ({ roles, secondFactor, sso }) => {
        const permissions = permissionsOf(roles);
        // The SSO rule first, as the request pipeline applies it: no provider, no events.
        return ssoRequired(sso.requiredFor, permissions) && !ssoSatisfied(sso) ? sso : sessionStanding(secondFactor, permissions);
      });
      if (standing === 'full') full.push(m);
      else if (m.orgId === sessionOrg || !held) held = standing;
    }
    const heldAtHome = held !== undefined && !full.some((m) => m.orgId === sessionOrg) && memberships.some((m) => m.orgId === sessionOrg);
    if (held && (heldAtHome || full.length === 0)) {
      if (typeof held === 'object') throw ssoRefusal(held.providers);
      if (held === 'enrol') throw platformError('mfa_enrolment_required', 'This organisation requires a second factor: enrol one first (POST /api/v1/auth/mfa/totp)');
      throw platformError('mfa_verification_required', 'This organisation requires a second factor: verify it (POST /api/v1/auth/mfa/step-up)');
    }
    return full;
  }

  /** Where a published event goes: its rooms and its wire form; undefined once pruned or unknown. */
  async route(event: EventEnvelope): Promise<{ rooms: string[]; wire: LiveEvent } | undefined> {
    const permission = LIVE_EVENTS[event.name as LiveEventName];
    if (!permission) return undefined;
    const place = await this.repo.placeOf(event.id);
    if (!place) return undefined;
    const wire: LiveEvent = {
      id: event.id,
      position: place.position,
      name: event.name,
      orgId: event.orgId,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      occurredAt: event.occurredAt,
      payload: event.payload,
    };
    return { rooms: roomsOfEvent(place.orgPath, permission), wire };
  }

  /**
   * What a reconnecting socket missed since `after`: per membership, read under row-level
   * security in that organisation (itself and below), with that role's permissions; merged in
   * position order. Too many, or a gap that pruning has eaten: resync.
   */
  async catchUp(listener: Listener, after: number | undefined): Promise<CatchUp> {
    const first = listener.memberships[0];
    if (!first) return { resync: false, events: [], position: after ?? 0 };
    const bounds = await this.tx.inTenant({ orgId: first.orgId, userId: listener.userId }, () => this.repo.bounds());
    if (after === undefined) return { resync: false, events: [], position: bounds.newest };
    if (this.gapLost(after, bounds)) return { resync: true, events: [], position: bounds.newest };
    const byPosition = new Map<number, LiveEvent>();
    for (const m of listener.memberships) {
      const names = namesVisibleWith(permissionsOf([m.role]));
      const [events, late] = await this.tx.inTenant({ orgId: m.orgId, userId: listener.userId }, async () => [
        await this.repo.eventsAfter(after, names, CATCH_UP_LIMIT + 1),
        await this.repo.recentUpTo(after, names, LATE_COMMIT_SECONDS, CATCH_UP_LIMIT),
      ]);
      if (events.length > CATCH_UP_LIMIT) return { resync: true, events: [], position: bounds.newest };
      for (const e of [...late, ...events]) byPosition.set(e.position, e);
    }
    const events = [...byPosition.values()].sort((a, b) => a.position - b.position);
    if (events.length > CATCH_UP_LIMIT) return { resync: true, events: [], position: bounds.newest };
    return { resync: false, events, position: Math.max(after, bounds.newest) };
  }

  /** The polling fallback: the request's organisation and below, with the request's permissions. */
  async poll(ctx: RequestContext, after: number | undefined, limit: number): Promise<CatchUp> {
    const bounds = await this.repo.bounds();
    if (after === undefined) return { resync: false, events: [], position: bounds.newest };
    if (this.gapLost(after, bounds)) return { resync: true, events: [], position: bounds.newest };
    const names = namesVisibleWith(ctx.permissions);
    const events = await this.repo.eventsAfter(after, names, limit);
    // A full page: the next poll goes on from its last event; otherwise all is seen up to the newest.
    const position = events.length === limit ? events[events.length - 1]!.position : Math.max(after, bounds.newest);
    const late = await this.repo.recentUpTo(after, names, LATE_COMMIT_SECONDS, limit);
    return { resync: false, events: [...late, ...events], position };
  }

  /** Older than what the outbox keeps, or newer than it ever was (a restored database): cannot replay. */
  private gapLost(after: number, bounds: { oldest: number | null; newest: number }): boolean {
    if (after > bounds.newest) return true;
    return bounds.oldest !== null && after + 1 < bounds.oldest;
  }
}
