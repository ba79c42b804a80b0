'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; password: string }) => unwrap(await api.POST('/api/v1/auth/session', { body })),
    // Drop what was cached while signed out (who am I: nobody), so no screen acts on it.
    onSuccess: () => qc.removeQueries(),
  });
}

export function useSignOut(everywhere = false) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      if (everywhere) unwrap(await api.DELETE('/api/v1/auth/sessions'));
      else unwrap(await api.DELETE('/api/v1/auth/session'));
    },
    onSettled: () => qc.removeQueries(),
  });
}

export function useSetup() {
  return useMutation({
    mutationFn: async (body: { token: string; organisationName: string; email: string; password: string; displayName?: string }) =>
      unwrap(await api.POST('/api/v1/setup', { body })),
  });
}
