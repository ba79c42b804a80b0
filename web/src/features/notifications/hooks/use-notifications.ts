'use client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { notificationsKeys, touched } from '../notifications.keys';

export function useUnreadCount(enabled = true) {
  return useQuery({
    queryKey: notificationsKeys.unread(),
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread-count')),
    enabled,
  });
}

export function useNotifications() {
  return useInfiniteQuery({
    queryKey: notificationsKeys.list(),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit: 30, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Read marks are the person's own state: invalidated after, never guessed before. */
export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: () => Promise.all(touched().map((queryKey) => qc.invalidateQueries({ queryKey }))),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')),
    onSettled: () => Promise.all(touched().map((queryKey) => qc.invalidateQueries({ queryKey }))),
  });
}
