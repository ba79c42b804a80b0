'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { useStepUpGuard } from '@/features/security/components/step-up';
import { suspensionKeys } from '@/features/shell/hooks/use-suspension';

export const settingsKeys = {
  blackouts: () => ['get', '/api/v1/blackouts'] as const,
  audit: () => ['get', '/api/v1/audit'] as const,
};

export function useSuspend() {
  const qc = useQueryClient();
  const guard = useStepUpGuard();
  return useMutation({
    mutationFn: (reason: string) => guard(async () => unwrap(await api.POST('/api/v1/publishing/suspensions', { body: { reason } }))),
    onSettled: () => qc.invalidateQueries({ queryKey: suspensionKeys.current() }),
  });
}

export function useResume() {
  const qc = useQueryClient();
  const guard = useStepUpGuard();
  return useMutation({
    mutationFn: (id: string) => guard(async () => unwrap(await api.POST('/api/v1/publishing/suspensions/{id}/resume', { params: { path: { id } }, body: { decisions: [] } }))),
    onSettled: () => qc.invalidateQueries({ queryKey: suspensionKeys.current() }),
  });
}

export function useBlackouts() {
  return useQuery({ queryKey: settingsKeys.blackouts(), queryFn: async () => unwrap(await api.GET('/api/v1/blackouts')) });
}

export function useAddBlackout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { startsOn: string; endsOn: string; zone: string; reason: string }) => unwrap(await api.POST('/api/v1/blackouts', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: settingsKeys.blackouts() }),
  });
}

export function useAudit(enabled: boolean) {
  return useQuery({ queryKey: settingsKeys.audit(), queryFn: async () => unwrap(await api.GET('/api/v1/audit', { params: { query: { limit: 50 } } })), enabled });
}
