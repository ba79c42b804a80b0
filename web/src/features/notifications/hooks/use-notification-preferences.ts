'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { notificationsKeys, type Channel, type NotificationKind, type PreferencesBody } from '../notifications.keys';
import { currentSubscription, subscribeBrowser, unsubscribeBrowser, type BrowserSubscription } from '../push-browser';

export function usePreferences() {
  return useQuery({ queryKey: notificationsKeys.preferences(), queryFn: async () => unwrap(await api.GET('/api/v1/notifications/preferences')) });
}

/** The server answers the whole new view: it replaces the cache (no guess before it answers). */
export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: PreferencesBody) => unwrap(await api.PUT('/api/v1/notifications/preferences', { body })),
    onSuccess: (view) => qc.setQueryData(notificationsKeys.preferences(), view),
  });
}

/** Whether this browser holds a push subscription now (the browser, not the server, knows). */
export function useBrowserPush() {
  return useQuery({ queryKey: ['browser', 'push-subscription'], queryFn: async () => (await currentSubscription()) !== null, staleTime: Infinity });
}

export function useSetBrowserPush() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ on, publicKey }: { on: boolean; publicKey: string }) => {
      const register = async (sub: BrowserSubscription) => unwrap(await api.POST('/api/v1/notifications/push-subscriptions', { body: sub })).id;
      if (on) return subscribeBrowser(publicKey, register);
      return unsubscribeBrowser(register, async (id) => {
        const res = await api.DELETE('/api/v1/notifications/push-subscriptions/{id}', { params: { path: { id } } });
        // Already gone on the server (another tab, the push service said 410): the browser's copy goes too.
        if (res.response.status !== 404) unwrap(res);
      });
    },
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: ['browser', 'push-subscription'] }), qc.invalidateQueries({ queryKey: notificationsKeys.preferences() })]),
  });
}

export function useMandates() {
  return useQuery({ queryKey: notificationsKeys.mandates(), queryFn: async () => unwrap(await api.GET('/api/v1/notification-admin/mandates')) });
}

/** Mandates bind everyone below: never optimistic, the list is read again once the server has answered. */
export function useSetMandate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, channel, on }: { kind: NotificationKind; channel: Channel; on: boolean }) => {
      const params = { path: { kind, channel } };
      unwrap(on ? await api.PUT('/api/v1/notification-admin/mandates/{kind}/{channel}', { params }) : await api.DELETE('/api/v1/notification-admin/mandates/{kind}/{channel}', { params }));
    },
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: notificationsKeys.mandates() }), qc.invalidateQueries({ queryKey: notificationsKeys.preferences() })]),
  });
}

export function useFailures() {
  return useQuery({ queryKey: notificationsKeys.failures(), queryFn: async () => unwrap(await api.GET('/api/v1/notification-admin/failures', { params: { query: { limit: 50 } } })) });
}
