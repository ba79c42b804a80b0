import type { ResponseOf } from '@/lib/api/types';

export type NotificationItem = ResponseOf<'NotificationsController.list'>['items'][number];

/** Keys shaped [method, path, params]; a live `notification` invalidates everything under the path. */
export const notificationsKeys = {
  all: () => ['get', '/api/v1/notifications'] as const,
  list: () => ['get', '/api/v1/notifications', { list: true }] as const,
  unread: () => ['get', '/api/v1/notifications/unread-count'] as const,
};
