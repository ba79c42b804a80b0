'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { ResponseOf } from '@/lib/api/types';

export type CalendarPage = ResponseOf<'CalendarController.calendar'>;
export type CalendarItem = CalendarPage['items'][number];

export interface CalendarQuery {
  from: string;
  to: string;
  zone: string;
  /** Any of these (none: all). */
  statuses?: string[] | undefined;
  channels?: string[] | undefined;
  orgIds?: string[] | undefined;
  campaignId?: string | undefined;
}

export const calendarKeys = {
  range: (q: CalendarQuery) => ['get', '/api/v1/calendar', q] as const,
};

/**
 * Every message of the range, all pages (500 each) read in turn: the month grid needs each day's
 * first few and a busy day expands in place, so the whole range is held (5,000 items is ~1 MB).
 * The previous range stays on screen while the next loads, so paging months does not flash.
 */
export function useCalendar(q: CalendarQuery) {
  return useQuery({
    queryKey: calendarKeys.range(q),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query = {
        from: q.from,
        to: q.to,
        zone: q.zone,
        ...(q.statuses?.length ? { status: q.statuses } : {}),
        ...(q.channels?.length ? { channel: q.channels } : {}),
        ...(q.orgIds?.length ? { orgId: q.orgIds } : {}),
        ...(q.campaignId ? { campaignId: q.campaignId } : {}),
      };
      const first = unwrap(await api.GET('/api/v1/calendar', { params: { query } }));
      const items = [...first.items];
      for (let after = first.next; after; ) {
        const page = unwrap(await api.GET('/api/v1/calendar', { params: { query: { ...query, after } } }));
        items.push(...page.items);
        after = page.next;
      }
      return { ...first, items, next: null };
    },
  });
}

export function useCampaigns() {
  return useQuery({
    queryKey: ['get', '/api/v1/campaigns', {}] as const,
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns', {})).items,
    staleTime: 60_000,
  });
}
