'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { messagesKeys } from '@/features/messages/messages.keys';

export function useApprovalProgress(id: string | null) {
  return useQuery({
    queryKey: messagesKeys.approvals(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/messages/{id}/approvals', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

/** Never optimistic: an approval is a record that must be the server's before it is shown. */
export function useDecide(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { decision: 'approved' | 'changes_requested'; contentHash: string; comment: string }) =>
      unwrap(await api.POST('/api/v1/messages/{id}/approvals', { params: { path: { id } }, body })),
    onSettled: () => qc.invalidateQueries({ queryKey: messagesKeys.all() }),
  });
}
