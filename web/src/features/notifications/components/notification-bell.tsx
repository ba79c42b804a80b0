'use client';
import { IntentLink as Link } from '@/ui/intent-link';
import { useI18n } from '@/lib/i18n/i18n';
import { useUnreadCount } from '../hooks/use-notifications';

/** The shell's way into the notification centre, with the unread count (kept live by the shell's socket). */
export function NotificationBell() {
  const { t } = useI18n();
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  return (
    <Link href="/notifications/" className="relative rounded px-1 text-sm underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-white" aria-label={t('notifications.bell', { count })}>
      {/* An SVG, not an emoji: servers and kiosks often have no emoji font. */}
      <svg aria-hidden="true" viewBox="0 0 24 24" className="inline h-5 w-5 fill-none stroke-current" strokeWidth={2}>
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span aria-hidden="true" className="ml-1 rounded-full bg-amber-300 px-1.5 text-xs font-semibold text-slate-900">
          {count}
        </span>
      ) : null}
    </Link>
  );
}
