'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { BodyOf } from '@/lib/api/types';

type Guard = <T>(fn: () => Promise<T>) => Promise<T>;
const keys = { policy: () => ['get', '/api/v1/sign-in-policy'] as const, users: () => ['get', '/api/v1/users'] as const };

export function useSignInPolicy() {
  return useQuery({ queryKey: keys.policy(), queryFn: async () => unwrap(await api.GET('/api/v1/sign-in-policy')) });
}

export function useSetSignInPolicy(guard: Guard) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'SignInPolicyController.set'>) =>
      guard(async () => unwrap(await api.PUT('/api/v1/sign-in-policy', { body }))),
    onSettled: () => qc.invalidateQueries(),
  });
}

export function useMembers(enabled: boolean) {
  return useQuery({ queryKey: keys.users(), queryFn: async () => unwrap(await api.GET('/api/v1/users')), enabled });
}

export function useResetFactors(guard: Guard) {
  return useMutation({
    mutationFn: (id: string) => guard(async () => unwrap(await api.POST('/api/v1/users/{id}/mfa/reset', { params: { path: { id } } }))),
  });
}
