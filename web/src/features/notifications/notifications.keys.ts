import type { BodyOf, ResponseOf } from '@/lib/api/types';

export type NotificationItem = ResponseOf<'NotificationsController.list'>['items'][number];
export type Preferences = ResponseOf<'NotificationsController.preferences'>;
export type PreferencesBody = BodyOf<'NotificationsController.setPreferences'>;
export type NotificationKind = Preferences['kinds'][number]['kind'];
export type Mandate = ResponseOf<'NotificationsAdminController.mandates'>['items'][number];
export type Failure = ResponseOf<'NotificationsAdminController.failures'>['items'][number];
export const CHANNELS = ['email', 'push', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Keys shaped [method, path, params]; a live `notification` or a read mark invalidates both reads (`touched`). */
export const notificationsKeys = {
  all: () => ['get', '/api/v1/notifications'] as const,
  list: () => ['get', '/api/v1/notifications', { list: true }] as const,
  unread: () => ['get', '/api/v1/notifications/unread-count'] as const,
  preferences: () => ['get', '/api/v1/notifications/preferences'] as const,
  mandates: () => ['get', '/api/v1/notification-admin/mandates'] as const,
  failures: () => ['get', '/api/v1/notification-admin/failures'] as const,
};

/** Both reads a new notification or a read mark changes (their paths differ, so one prefix does not cover both). */
export const touched = () => [notificationsKeys.all(), notificationsKeys.unread()];
