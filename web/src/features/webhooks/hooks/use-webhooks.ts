'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { webhooksKeys, type CreateWebhook, type UpdateWebhook } from '../webhooks.keys';

export function useWebhooks() {
  return useQuery({ queryKey: webhooksKeys.all(), queryFn: async () => unwrap(await api.GET('/api/v1/webhooks')) });
}

export function useDeliveries(id: string | null) {
  return useQuery({
    queryKey: webhooksKeys.deliveries(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: id! }, query: { limit: 50 } } })),
    enabled: Boolean(id),
  });
}

export function useCreateWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateWebhook) => unwrap(await api.POST('/api/v1/webhooks', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: webhooksKeys.all() }),
  });
}

export function useUpdateWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: UpdateWebhook }) => unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSettled: () => qc.invalidateQueries({ queryKey: webhooksKeys.all() }),
  });
}

export function useRotateSecret() {
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id } } })),
  });
}

export function usePingWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/webhooks/{id}/ping', { params: { path: { id } } })),
    onSettled: (_d, _e, id) => qc.invalidateQueries({ queryKey: webhooksKeys.deliveries(id) }),
  });
}

export function useRedeliver() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, deliveryId }: { id: string; deliveryId: string }) =>
      unwrap(await api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id, deliveryId } } })),
    onSettled: (_d, _e, v) => qc.invalidateQueries({ queryKey: webhooksKeys.deliveries(v.id) }),
  });
}
