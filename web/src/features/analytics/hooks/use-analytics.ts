'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import { analyticsKeys, type CreateDashboard, type RangeQuery } from '../analytics.keys';

/** The organisation and its subtree, with the previous period; a new snapshot event refetches it. */
export function useOrganisationSeries(q: RangeQuery) {
  return useQuery({
    queryKey: analyticsKeys.organisation(q),
    queryFn: async () => unwrap(await api.GET('/api/v1/analytics/organisation', { params: { query: { ...q, compare: 'true' } } })),
    placeholderData: keepPreviousData,
  });
}

export function useBreakdown(q: RangeQuery) {
  return useQuery({
    queryKey: analyticsKeys.breakdown(q),
    queryFn: async () => unwrap(await api.GET('/api/v1/analytics/organisation/breakdown', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export function useMessageSeries(id: string, q: RangeQuery) {
  return useQuery({
    queryKey: analyticsKeys.message(id, q),
    queryFn: async () => unwrap(await api.GET('/api/v1/analytics/messages/{id}', { params: { path: { id }, query: { ...q, compare: 'false' } } })),
  });
}

export function useDashboards(enabled: boolean) {
  return useQuery({ queryKey: analyticsKeys.dashboards(), queryFn: async () => unwrap(await api.GET('/api/v1/analytics/dashboards')), enabled });
}

export function useCreateDashboard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateDashboard) => unwrap(await api.POST('/api/v1/analytics/dashboards', { body })),
    onSettled: () => qc.invalidateQueries({ queryKey: analyticsKeys.dashboards() }),
  });
}

export function useRevokeDashboard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/analytics/dashboards/{id}/revoke', { params: { path: { id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: analyticsKeys.dashboards() }),
  });
}
