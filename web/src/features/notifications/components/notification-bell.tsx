'use client';
import Link from 'next/link';
import { useI18n } from '@/lib/i18n/i18n';
import { useUnreadCount } from '../hooks/use-notifications';

/** The shell's way into the notification centre, with the unread count (kept live by the shell's socket). */
export function NotificationBell() {
  const { t } = useI18n();
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  return (
    <Link href="/notifications/" className="relative rounded px-1 text-sm underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-white" aria-label={t('notifications.bell', { count })}>
      <span aria-hidden="true">🔔</span>
      {count > 0 ? (
        <span aria-hidden="true" className="ml-1 rounded-full bg-amber-300 px-1.5 text-xs font-semibold text-slate-900">
          {count}
        </span>
      ) : null}
    </Link>
  );
}
