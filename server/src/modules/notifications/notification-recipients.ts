import { Injectable } from '@nestjs/common';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../../platform/access/permissions.js';
import { MessageAudience, type MessageAudienceView } from '../messages/message-audience.service.js';
import { NotificationsRepository, type Recipient } from './notifications.repository.js';

export function rolesHolding(permission: Permission): Role[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].has(permission));
}

export interface MessageRecipients {
  message: MessageAudienceView;
  /** Everyone who can see the message now: any role on its organisation or above. */
  viewers: Recipient[];
}

/**
 * Who an event concerns, resolved when it is handled (not when it was emitted: a person removed
 * meanwhile is not told). Every list is cut down to people who can see the message: a named
 * author or approver who lost their membership is left out, whatever the message remembers.
 */
@Injectable()
export class NotificationRecipients {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly messages: MessageAudience,
  ) {}

  async forMessage(messageId: string, stageIndex?: number): Promise<MessageRecipients | undefined> {
    const message = await this.messages.of(messageId, stageIndex);
    if (!message) return undefined;
    return { message, viewers: await this.repo.audience(message.orgId, ROLES) };
  }

  /** The named people, if they can see the message. */
  pick(r: MessageRecipients, userIds: readonly string[]): Recipient[] {
    const wanted = new Set(userIds);
    return r.viewers.filter((v) => wanted.has(v.userId));
  }

  /** Holders of a permission on the message's organisation or above (they can see it). */
  async holding(orgId: string, permission: Permission): Promise<Recipient[]> {
    return this.repo.audience(orgId, rolesHolding(permission));
  }

  /** Holders of these roles on the organisation or above. */
  withRoles(orgId: string, roles: readonly string[]): Promise<Recipient[]> {
    return this.repo.audience(orgId, roles);
  }

  /** Everyone a suspension touches: members on the organisation's path and below it. */
  subtree(orgId: string): Promise<Recipient[]> {
    return this.repo.audience(orgId, ROLES, true);
  }
}

export function union(...lists: Recipient[][]): Recipient[] {
  const seen = new Map<string, Recipient>();
  for (const list of lists) for (const r of list) if (!seen.has(r.userId)) seen.set(r.userId, r);
  return [...seen.values()];
}
