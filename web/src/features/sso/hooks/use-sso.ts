'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { BodyOf, ResponseOf } from '@/lib/api/types';

export type IdentityProvider = ResponseOf<'IdentityProvidersController.list'>['items'][number];
export type NewOidcProvider = BodyOf<'IdentityProvidersController.create'>;
export type NewSamlProvider = BodyOf<'IdentityProvidersController.createSaml'>;
export type ProviderChanges = BodyOf<'IdentityProvidersController.update'>;

export const ssoKeys = {
  providers: () => ['get', '/api/v1/identity-providers'] as const,
  forEmail: (domain: string) => ['get', '/api/v1/auth/sso/providers', domain] as const,
};

/** The domain of an email that looks complete enough to ask about (a@b.c), lower-cased. */
export function emailDomain(email: string): string | undefined {
  const m = /^[^@\s]+@([^@\s]+\.[a-z]{2,})$/i.exec(email.trim());
  return m?.[1]?.toLowerCase();
}

/** The sign-in page's choice: providers whose allowed domains include the email's (names only). */
export function useProvidersForEmail(email: string) {
  const domain = emailDomain(email);
  return useQuery({
    queryKey: ssoKeys.forEmail(domain ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/sso/providers', { params: { query: { email: `someone@${domain}` } } })),
    enabled: domain !== undefined,
    staleTime: 60_000,
  });
}

/**
 * Starts a sign-in at a provider: the server sets the binding cookie and names where to go. With
 * an invitation's token, the sign-in accepts that invitation (where its organisation requires SSO).
 */
export function useStartSso() {
  return useMutation({
    mutationFn: async ({ providerId, invitationToken }: { providerId: string; invitationToken?: string | undefined }) =>
      unwrap(await api.POST('/api/v1/auth/sso/start', { body: { providerId, ...(invitationToken ? { invitationToken } : {}) } })),
    onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
  });
}

export function useIdentityProviders() {
  return useQuery({ queryKey: ssoKeys.providers(), queryFn: async () => unwrap(await api.GET('/api/v1/identity-providers')) });
}

export function useAddOidcProvider() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewOidcProvider) => unwrap(await api.POST('/api/v1/identity-providers', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: ssoKeys.providers() }),
  });
}

export function useAddSamlProvider() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewSamlProvider) => unwrap(await api.POST('/api/v1/identity-providers/saml', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: ssoKeys.providers() }),
  });
}

export function useUpdateProvider(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ProviderChanges) => unwrap(await api.PATCH('/api/v1/identity-providers/{id}', { params: { path: { id } }, body })),
    onSettled: () => qc.invalidateQueries({ queryKey: ssoKeys.providers() }),
  });
}

export function useRemoveProvider() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/identity-providers/{id}', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ssoKeys.providers() }),
  });
}
