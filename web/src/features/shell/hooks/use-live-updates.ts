'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { connectLive, type LiveState } from '@/lib/api/realtime';
import { touched } from '@/features/notifications/notifications.keys';
import { concernsOf, keyConcerned } from '../live-events';

/** The one live connection of a signed-in console: each event invalidates the reads it concerns. */
export function useLiveUpdates(enabled: boolean): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!enabled) return;
    return connectLive({
      onEvent: (e) => {
        const paths = concernsOf(e.name);
        if (paths.length > 0) void qc.invalidateQueries({ predicate: (q) => keyConcerned(q.queryKey, paths) });
      },
      onNotification: () => touched().forEach((queryKey) => void qc.invalidateQueries({ queryKey })),
      onResync: () => void qc.invalidateQueries(),
      onState: setState,
    });
  }, [enabled, qc]);
  return state;
}
