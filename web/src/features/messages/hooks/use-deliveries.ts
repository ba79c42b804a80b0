'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { messagesKeys } from '../messages.keys';
import { useStepUpGuard } from '@/features/security/components/step-up';

export function useDeliveries(messageId: string) {
  return useQuery({
    queryKey: messagesKeys.deliveries(messageId),
    queryFn: async () => unwrap(await api.GET('/api/v1/messages/{id}/deliveries', { params: { path: { id: messageId } } })),
  });
}

export function useRetryDelivery(messageId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/deliveries/{id}/retry', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: messagesKeys.deliveries(messageId) }),
  });
}

export function useRetract(messageId: string) {
  const qc = useQueryClient();
  const guard = useStepUpGuard();
  return useMutation({
    mutationFn: (reason: string) => guard(async () => unwrap(await api.POST('/api/v1/messages/{id}/retract', { params: { path: { id: messageId } }, body: { reason } }))),
    // The message's status and its deliveries both change.
    onSettled: () =>
      Promise.all([messagesKeys.one(messageId), messagesKeys.deliveries(messageId), messagesKeys.all()].map((queryKey) => qc.invalidateQueries({ queryKey }))),
  });
}
