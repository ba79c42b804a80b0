'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const suspensionKeys = { current: () => ['get', '/api/v1/publishing/suspension'] as const };

/** A suspension reaches every open screen through the live feed (useLiveUpdates invalidates this). */
export function useSuspension(enabled: boolean) {
  return useQuery({
    queryKey: suspensionKeys.current(),
    queryFn: async () => unwrap(await api.GET('/api/v1/publishing/suspension')),
    enabled,
  });
}
