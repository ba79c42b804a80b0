'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { keyConcerned } from '@/features/shell/live-events';

/**
 * Reschedule through the server's own route, so approval, blackout and embargo rules answer (with
 * their code) exactly as they would for any client. Not optimistic: a refused move must never be
 * seen as done. The revision is read just before, as If-Match requires.
 */
export function useReschedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, local, zone }: { id: string; local: string; zone: string }) => {
      const current = unwrap(await api.GET('/api/v1/messages/{id}', { params: { path: { id } } }));
      return unwrap(await api.PUT('/api/v1/messages/{id}/schedule', { params: { path: { id } }, headers: { 'if-match': `"${current.revision}"` }, body: { local, zone } }));
    },
    onSettled: () => qc.invalidateQueries({ predicate: (q) => keyConcerned(q.queryKey, ['/api/v1/calendar', '/api/v1/messages']) }),
  });
}
