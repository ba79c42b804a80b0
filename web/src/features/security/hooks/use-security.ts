'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { createPasskey, getPasskey } from '../passkey-browser';

export const securityKeys = {
  status: () => ['get', '/api/v1/auth/mfa'] as const,
  passkeys: () => ['get', '/api/v1/auth/passkeys'] as const,
  sessions: () => ['get', '/api/v1/auth/sessions'] as const,
};

export function useMfaStatus(enabled = true) {
  return useQuery({ queryKey: securityKeys.status(), queryFn: async () => unwrap(await api.GET('/api/v1/auth/mfa')), enabled });
}
export type MfaStatus = NonNullable<ReturnType<typeof useMfaStatus>['data']>;

export const hasFactor = (s: MfaStatus) => s.totp.state === 'confirmed' || s.passkeys > 0;

export function usePasskeys() {
  return useQuery({ queryKey: securityKeys.passkeys(), queryFn: async () => unwrap(await api.GET('/api/v1/auth/passkeys')) });
}

export function useSessions() {
  return useQuery({ queryKey: securityKeys.sessions(), queryFn: async () => unwrap(await api.GET('/api/v1/auth/sessions')) });
}

/** After any change to factors every screen asks again: the policy's hold may have lifted. */
function useRefreshAll() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries();
}

export function useStartTotp() {
  return useMutation({ mutationFn: async () => unwrap(await api.POST('/api/v1/auth/mfa/totp')) });
}

export function useConfirmTotp() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: async (code: string) => unwrap(await api.POST('/api/v1/auth/mfa/totp/confirm', { body: { code } })), onSuccess: refresh });
}

export function useRegenerateCodes() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: async (code: string) => unwrap(await api.POST('/api/v1/auth/mfa/recovery-codes', { body: { code } })), onSuccess: refresh });
}

export function useRegisterPasskey() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async (name: string) => {
      const options = unwrap(await api.POST('/api/v1/auth/passkeys/registration/options'));
      const credential = await createPasskey(options);
      const body = { credential: credential as never, ...(name.trim() ? { name: name.trim() } : {}) };
      return unwrap(await api.POST('/api/v1/auth/passkeys/registration', { body }));
    },
    onSuccess: refresh,
  });
}

export function useRenamePasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, name }: { id: string; name: string }) => unwrap(await api.PATCH('/api/v1/auth/passkeys/{id}', { params: { path: { id } }, body: { name } })),
    onSettled: () => qc.invalidateQueries({ queryKey: securityKeys.passkeys() }),
  });
}

export function useRemovePasskey(guard: <T>(fn: () => Promise<T>) => Promise<T>) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: (id: string) => guard(async () => unwrap(await api.DELETE('/api/v1/auth/passkeys/{id}', { params: { path: { id } } }))),
    onSettled: refresh,
  });
}

export function useEndSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: securityKeys.sessions() }),
  });
}

/** Show a factor for this session now: a code (TOTP or recovery) or a passkey. */
export function useShowFactor() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async (how: { code: string } | { passkey: true }) => {
      if ('code' in how) return unwrap(await api.POST('/api/v1/auth/mfa/step-up', { body: { code: how.code } }));
      const options = unwrap(await api.POST('/api/v1/auth/passkeys/step-up/options'));
      const credential = await getPasskey(options);
      return unwrap(await api.POST('/api/v1/auth/passkeys/step-up', { body: { credential: credential as never } }));
    },
    onSuccess: refresh,
  });
}
