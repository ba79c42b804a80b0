'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { ApiError, unwrap } from '@/lib/api/errors';
import { authKeys } from '../auth.keys';

/** Who is signed in; `null` when no one is (the session cookie is absent or dead). */
export function useMe() {
  return useQuery({
    queryKey: authKeys.me(),
    queryFn: async () => {
      try {
        return unwrap(await api.GET('/api/v1/me'));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export type Me = NonNullable<ReturnType<typeof useMe>['data']>;

export function can(me: Me | null | undefined, permission: Me['organisation']['permissions'][number]): boolean {
  return me?.organisation.permissions.includes(permission) ?? false;
}
