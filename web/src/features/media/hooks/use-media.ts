'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { BodyOf } from '@/lib/api/types';
import { mediaKeys, type AssetQuery } from '../media.keys';

export function useAssets(q: AssetQuery) {
  return useQuery({
    queryKey: mediaKeys.list(q),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query = { limit: 48, ...(q.q ? { q: q.q } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.folderId ? { folderId: q.folderId } : {}), ...(q.status ? { status: q.status as 'ready' } : {}) };
      return unwrap(await api.GET('/api/v1/media/assets', { params: { query } }));
    },
  });
}

/** One asset with its renditions' signed URLs (short-lived: re-read well before they lapse). */
export function useAsset(id: string | null) {
  return useQuery({
    queryKey: mediaKeys.one(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/media/assets/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
    staleTime: 4 * 60_000,
  });
}

export function useFolders() {
  return useQuery({ queryKey: mediaKeys.folders(), queryFn: async () => unwrap(await api.GET('/api/v1/media/folders', {})).items });
}

export function useCreateFolder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { name: string; parentId: string | null }) => unwrap(await api.POST('/api/v1/media/folders', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: mediaKeys.folders() }),
  });
}

export function useUpdateAsset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: BodyOf<'MediaController.update'> }) => unwrap(await api.PATCH('/api/v1/media/assets/{id}', { params: { path: { id } }, body })),
    onSettled: (_d, _e, v) => Promise.all([qc.invalidateQueries({ queryKey: mediaKeys.all() }), qc.invalidateQueries({ queryKey: mediaKeys.one(v.id) })]),
  });
}
