'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { messagesKeys } from '../messages.keys';

export function useVersions(id: string) {
  return useQuery({
    queryKey: messagesKeys.versions(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/messages/{id}/versions', { params: { path: { id } } })),
  });
}

/** Versions never change once written, so a diff between two is cached for good. */
export function useWordDiff(id: string, pair: { from: number; to: number } | undefined) {
  return useQuery({
    queryKey: messagesKeys.diff(id, pair?.from ?? 0, pair?.to ?? 0),
    queryFn: async () => unwrap(await api.GET('/api/v1/messages/{id}/diff', { params: { path: { id }, query: { from: pair!.from, to: pair!.to } } })),
    enabled: pair !== undefined && pair.from !== pair.to,
    staleTime: Infinity,
  });
}

/** The message's audit trail; only asked for by those allowed to read the audit log. */
export function useMessageAudit(id: string, enabled: boolean) {
  return useQuery({
    queryKey: messagesKeys.audit(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/audit', { params: { query: { targetType: 'message', targetId: id, limit: 100 } } })),
    enabled,
  });
}
