'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { BodyOf, ResponseOf } from '@/lib/api/types';
import { useStepUpGuard } from '@/features/security/components/step-up';

export type Organisation = ResponseOf<'OrganisationsController.list'>['items'][number];
export type Member = ResponseOf<'UsersController.list'>['items'][number];
export type Invitation = ResponseOf<'InvitationsController.list'>['items'][number];
export type Role = Member['role'];
export type PolicyBody = BodyOf<'ApprovalsController.setPolicy'>;
export const ROLES: Role[] = ['owner', 'admin', 'approver', 'editor', 'analyst', 'viewer'];

export const adminKeys = {
  organisations: () => ['get', '/api/v1/organisations', {}] as const,
  users: () => ['get', '/api/v1/users', {}] as const,
  invitations: () => ['get', '/api/v1/invitations', {}] as const,
  policy: () => ['get', '/api/v1/approval-policy', {}] as const,
};

export function useOrganisations() {
  return useQuery({ queryKey: adminKeys.organisations(), queryFn: async () => unwrap(await api.GET('/api/v1/organisations', {})).items });
}

export function useCreateOrganisation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: BodyOf<'OrganisationsController.create'>) => unwrap(await api.POST('/api/v1/organisations', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.organisations() }),
  });
}

export function useMembers() {
  return useQuery({ queryKey: adminKeys.users(), queryFn: async () => unwrap(await api.GET('/api/v1/users', {})).items });
}

export function useChangeRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, role }: { id: string; role: Role }) => unwrap(await api.PATCH('/api/v1/users/{id}/role', { params: { path: { id } }, body: { role } })),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

export function useDeactivate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

export function useReactivate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/users/{id}/reactivate', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

export function useInvitations(enabled: boolean) {
  return useQuery({ queryKey: adminKeys.invitations(), queryFn: async () => unwrap(await api.GET('/api/v1/invitations', {})).items, enabled });
}

export function useInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; role: Role }) => unwrap(await api.POST('/api/v1/invitations', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.invitations() }),
  });
}

export function useRevokeInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/invitations/{id}', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.invitations() }),
  });
}

export function usePolicy() {
  return useQuery({ queryKey: adminKeys.policy(), queryFn: async () => unwrap(await api.GET('/api/v1/approval-policy', {})) });
}

export function useSetPolicy() {
  const qc = useQueryClient();
  // The server asks for a recent second factor here (step-up) from those who have one.
  const guard = useStepUpGuard();
  return useMutation({
    mutationFn: (body: PolicyBody) => guard(async () => unwrap(await api.PUT('/api/v1/approval-policy', { body }))),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.policy() }),
  });
}
