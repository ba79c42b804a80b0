'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const calendarKeys = {
  range: (q: { from: string; to: string; zone: string }) => ['get', '/api/v1/calendar', q] as const,
};

/** The first page: every day's count for the whole range and the first 500 items. */
export function useCalendar(q: { from: string; to: string; zone: string }) {
  return useQuery({
    queryKey: calendarKeys.range(q),
    queryFn: async () => unwrap(await api.GET('/api/v1/calendar', { params: { query: q } })),
  });
}
