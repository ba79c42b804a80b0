import type { ResponseOf } from '@/lib/api/types';

export type NotificationItem = ResponseOf<'NotificationsController.list'>['items'][number];

/** Keys shaped [method, path, params]; a live `notification` or a read mark invalidates both reads (`touched`). */
export const notificationsKeys = {
  all: () => ['get', '/api/v1/notifications'] as const,
  list: () => ['get', '/api/v1/notifications', { list: true }] as const,
  unread: () => ['get', '/api/v1/notifications/unread-count'] as const,
};

/** Both reads a new notification or a read mark changes (their paths differ, so one prefix does not cover both). */
export const touched = () => [notificationsKeys.all(), notificationsKeys.unread()];
