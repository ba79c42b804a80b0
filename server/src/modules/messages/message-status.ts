import type { Permission } from '../../platform/access/permissions.js';

/**
 * The whole lifecycle of a message, in one place. A transition names where it may start, where
 * it ends and the permission it needs; services move a message only through `transition()`,
 * which refuses anything not listed here (409 `transition_not_allowed:<name>`).
 *
 *   draft → in_review → changes_requested → in_review …
 *                     → approved → scheduled → publishing → published | partially_published | failed
 *   an edit to approved content sends it back to in_review; anything not yet out can be
 *   withdrawn (while publishing: what has not gone out yet); finished messages are archived.
 */
export const MESSAGE_STATUSES = [
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'scheduled',
  'publishing',
  'published',
  'partially_published',
  'failed',
  'withdrawn',
  'archived',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

interface TransitionSpec {
  from: readonly MessageStatus[];
  to: MessageStatus;
  /** The caller's permission; `system` transitions are taken by the platform, never by a route. */
  permission: Permission | 'system';
}

export const TRANSITIONS = {
  submit: { from: ['draft', 'changes_requested'], to: 'in_review', permission: 'content.write' },
  request_changes: { from: ['in_review'], to: 'changes_requested', permission: 'content.approve' },
  approve: { from: ['in_review'], to: 'approved', permission: 'content.approve' },
  // An edit of approved or scheduled content: its approvals no longer match, review again.
  reopen_review: { from: ['approved', 'scheduled'], to: 'in_review', permission: 'content.write' },
  schedule: { from: ['approved'], to: 'scheduled', permission: 'content.publish' },
  unschedule: { from: ['scheduled'], to: 'approved', permission: 'content.publish' },
  start_publishing: { from: ['scheduled'], to: 'publishing', permission: 'system' },
  mark_published: { from: ['publishing'], to: 'published', permission: 'system' },
  mark_partially_published: { from: ['publishing'], to: 'partially_published', permission: 'system' },
  mark_failed: { from: ['publishing'], to: 'failed', permission: 'system' },
  retry: { from: ['failed', 'partially_published'], to: 'scheduled', permission: 'content.publish' },
  // A person retries one failed delivery: publishing again for that channel only.
  retry_delivery: { from: ['failed', 'partially_published'], to: 'publishing', permission: 'content.publish' },
  // While publishing, a withdraw cancels the deliveries not yet out (calls already out finish).
  withdraw: { from: ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'publishing'], to: 'withdrawn', permission: 'content.publish' },
  // Late approval under an "expire" policy, after its days have passed.
  expire: { from: ['in_review', 'approved'], to: 'withdrawn', permission: 'system' },
  reopen: { from: ['withdrawn'], to: 'draft', permission: 'content.write' },
  archive: { from: ['draft', 'withdrawn', 'published', 'partially_published', 'failed'], to: 'archived', permission: 'content.write' },
} as const satisfies Record<string, TransitionSpec>;
export type TransitionName = keyof typeof TRANSITIONS;

/** Statuses whose content may still be edited (an edit after approval reopens review). */
export const EDITABLE: ReadonlySet<MessageStatus> = new Set(['draft', 'in_review', 'changes_requested', 'approved', 'scheduled']);

export type TransitionCheck = { ok: true; to: MessageStatus } | { ok: false; reason: 'status' | 'permission' };

/**
 * Whether `name` may move a message from `from`, for a caller with `permissions` (undefined:
 * the platform itself, which may take every transition).
 */
export function checkTransition(name: TransitionName, from: MessageStatus, permissions: ReadonlySet<Permission> | undefined): TransitionCheck {
  const spec: TransitionSpec = TRANSITIONS[name];
  if (permissions !== undefined && (spec.permission === 'system' || !permissions.has(spec.permission))) return { ok: false, reason: 'permission' };
  if (!spec.from.includes(from)) return { ok: false, reason: 'status' };
  return { ok: true, to: spec.to };
}

export function isMessageStatus(v: string): v is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(v);
}
