'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { messagesKeys, type MessageStatus } from '../messages.keys';

export function useMessages(params: { status?: MessageStatus } = {}) {
  return useQuery({
    queryKey: messagesKeys.list(params),
    queryFn: async () => unwrap(await api.GET('/api/v1/messages', { params: { query: { limit: 100, ...params } } })),
  });
}

export function useMessage(id: string | null) {
  return useQuery({
    queryKey: messagesKeys.one(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/messages/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}
