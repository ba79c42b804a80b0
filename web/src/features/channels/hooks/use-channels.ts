'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { channelsKeys, type BlueskyConnect, type ChannelUpdate, type Network } from '../channels.keys';

export function useChannels() {
  return useQuery({ queryKey: channelsKeys.all(), queryFn: async () => unwrap(await api.GET('/api/v1/channels')) });
}

export function useConnectAttempt(id: string | null) {
  return useQuery({
    queryKey: channelsKeys.attempt(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/channels/connect/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

/** Starts the OAuth round trip; the caller sends the browser to the answer's authorizeUrl. */
export function useStartConnect() {
  return useMutation({
    mutationFn: async (body: { network: Network; instance?: string; sandbox?: boolean }) => unwrap(await api.POST('/api/v1/channels/connect', { body })),
  });
}

export function useChooseAccounts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, accountIds }: { id: string; accountIds: string[] }) => unwrap(await api.POST('/api/v1/channels/connect/{id}/accounts', { params: { path: { id } }, body: { accountIds } })),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKeys.all() }),
  });
}

export function useConnectBluesky() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: BlueskyConnect) => unwrap(await api.POST('/api/v1/channels/bluesky', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKeys.all() }),
  });
}

export function useRefreshChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/channels/{id}/refresh', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKeys.all() }),
  });
}

export function useDisconnectChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/channels/{id}', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKeys.all() }),
  });
}

export function useUpdateChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: ChannelUpdate }) => unwrap(await api.PATCH('/api/v1/channels/{id}', { params: { path: { id } }, body })),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKeys.all() }),
  });
}

/** The organisation's members, for naming who may use a channel (only for those who may list them). */
export function useMembers(enabled: boolean) {
  return useQuery({ queryKey: ['get', '/api/v1/users'] as const, queryFn: async () => unwrap(await api.GET('/api/v1/users')), enabled });
}
