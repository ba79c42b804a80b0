'use client';
import { useT } from '@/lib/i18n/i18n';
import type { LiveState } from '@/lib/api/realtime';

/** A calm word and a dot, never a toast: whether what is shown is current. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const t = useT();
  const live = state === 'live';
  return (
    <span role="status" className="flex items-center gap-1 text-sm" data-live-state={state}>
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${live ? 'bg-emerald-400' : 'bg-amber-300'}`} />
      {live ? t('shell.live') : state === 'connecting' ? t('shell.connecting') : t('shell.reconnecting')}
    </span>
  );
}
