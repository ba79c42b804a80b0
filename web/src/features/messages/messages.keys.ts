import type { ResponseOf } from '@/lib/api/types';

export type MessageSummary = ResponseOf<'MessagesController.list'>['items'][number];
export type MessageDetail = ResponseOf<'MessagesController.get'>;
export type MessageStatus = MessageSummary['status'];
export type VersionMeta = ResponseOf<'MessagesController.versions'>['items'][number];
export type WordDiff = ResponseOf<'MessagesController.diff'>;
export type Delivery = ResponseOf<'DeliveriesController.list'>['items'][number];
export type ApprovalHistory = ResponseOf<'ApprovalsController.progress'>;

/** Keys shaped [method, path, params], so invalidation names what it invalidates. */
export const messagesKeys = {
  all: () => ['get', '/api/v1/messages'] as const,
  list: (params: { status?: MessageStatus }) => ['get', '/api/v1/messages', params] as const,
  one: (id: string) => ['get', '/api/v1/messages/{id}', { id }] as const,
  approvals: (id: string) => ['get', '/api/v1/messages/{id}/approvals', { id }] as const,
  versions: (id: string) => ['get', '/api/v1/messages/{id}/versions', { id }] as const,
  diff: (id: string, from: number, to: number) => ['get', '/api/v1/messages/{id}/diff', { id, from, to }] as const,
  deliveries: (id: string) => ['get', '/api/v1/messages/{id}/deliveries', { id }] as const,
  audit: (id: string) => ['get', '/api/v1/audit', { targetType: 'message', targetId: id }] as const,
};
