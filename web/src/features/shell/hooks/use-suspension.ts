'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const suspensionKeys = { current: () => ['get', '/api/v1/publishing/suspension'] as const };

/** Polled: a suspension must reach every open screen (live updates come with the socket gateway). */
export function useSuspension(enabled: boolean) {
  return useQuery({
    queryKey: suspensionKeys.current(),
    queryFn: async () => unwrap(await api.GET('/api/v1/publishing/suspension')),
    enabled,
    refetchInterval: 15_000,
  });
}
