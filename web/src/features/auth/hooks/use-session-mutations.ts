'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { getPasskey } from '@/features/security/passkey-browser';

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

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: async (body: { token: string; password: string; displayName?: string }) => unwrap(await api.POST('/api/v1/invitations/accept', { body })),
  });
}

export function useSetup() {
  return useMutation({
    mutationFn: async (body: { token: string; organisationName: string; email: string; password: string; displayName?: string }) =>
      unwrap(await api.POST('/api/v1/setup', { body })),
  });
}

/** The second step of sign-in: the challenge from the password (or SSO) and a code or a passkey. */
export function useSecondStep() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ challengeToken, ...how }: { challengeToken: string } & ({ code: string } | { passkey: true })) => {
      if ('code' in how) return unwrap(await api.POST('/api/v1/auth/session/mfa', { body: { challengeToken, code: how.code } }));
      const options = unwrap(await api.POST('/api/v1/auth/mfa/passkey/options', { body: { challengeToken } }));
      const credential = await getPasskey(options);
      return unwrap(await api.POST('/api/v1/auth/session/mfa/passkey', { body: { challengeToken, credential: credential as never } }));
    },
    onSuccess: () => qc.removeQueries(),
  });
}

/** Passwordless: the browser offers this site's passkeys; the one chosen names the account. */
export function usePasskeySignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const options = unwrap(await api.POST('/api/v1/auth/passkeys/sign-in/options'));
      const credential = await getPasskey(options);
      return unwrap(await api.POST('/api/v1/auth/session/passkey', { body: { credential: credential as never } }));
    },
    onSuccess: () => qc.removeQueries(),
  });
}
