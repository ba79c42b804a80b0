'use client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { useStepUpGuard } from '@/features/security/components/step-up';
import { listeningKeys, type AlertView, type CommentsQuery } from '../listening.keys';

export function useComments(q: CommentsQuery) {
  return useInfiniteQuery({
    queryKey: listeningKeys.comments(q),
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/api/v1/listening/comments', { params: { query: { ...q, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useAlerts(openOnly: boolean) {
  return useQuery({
    queryKey: listeningKeys.alerts(openOnly),
    queryFn: async () => unwrap(await api.GET('/api/v1/listening/alerts', { params: { query: { limit: 50, ...(openOnly ? { open: 'true' as const } : {}) } } })),
  });
}

export function useAcknowledgeAlert() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/listening/alerts/{id}/acknowledge', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ predicate: (q) => q.queryKey[1] === '/api/v1/listening/alerts' }),
  });
}

/**
 * The alert's one-click path: the crisis suspension it names, for the organisation it names
 * (which may be a mission below the reader's), behind the step-up dialog when the server asks.
 */
export function useSuspendFromAlert() {
  const qc = useQueryClient();
  const guard = useStepUpGuard();
  return useMutation({
    mutationFn: (a: AlertView) =>
      guard(async () => unwrap(await api.POST('/api/v1/publishing/suspensions', { body: a.suspendAction.body, headers: { 'x-guddu-org': a.suspendAction.organisationId } }))),
    onSettled: () => qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && q.queryKey[1].startsWith('/api/v1/publishing') }),
  });
}
