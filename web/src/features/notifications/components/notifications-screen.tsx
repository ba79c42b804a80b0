'use client';
import Link from 'next/link';
import { useI18n, type MessageKey } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { useMarkAllRead, useMarkRead, useNotifications } from '../hooks/use-notifications';
import type { NotificationItem } from '../notifications.keys';

/** Where a notification leads in the console. */
function hrefOf(n: NotificationItem): string | null {
  if (n.subject.type === 'message') return `/messages/view/?id=${encodeURIComponent(n.subject.id)}`;
  if (n.subject.type === 'channel') return '/channels/';
  return null;
}

/**
 * The notification centre: newest first, each sentence rendered here in the console's language
 * from the kind and its parameters (titles and reasons are text, never HTML).
 */
export function NotificationsScreen() {
  const { t, locale } = useI18n();
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section aria-labelledby="notifications-title" className="space-y-4">
      <div className="flex items-center gap-4">
        <h1 id="notifications-title" className="text-2xl font-semibold" tabIndex={-1}>
          {t('notifications.title')}
        </h1>
        <Button tone="secondary" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          {t('notifications.markAllRead')}
        </Button>
        <Link href="/notifications/preferences/" className="text-sm text-indigo-800 underline">
          {t('notificationSettings.link')}
        </Link>
      </div>
      {list.isSuccess && items.length === 0 ? <p>{t('notifications.empty')}</p> : null}
      <ul className="divide-y divide-slate-200 rounded border border-slate-300 bg-white">
        {items.map((n) => {
          const href = hrefOf(n);
          return (
            <li key={n.id} className="flex flex-wrap items-start gap-3 p-3">
              <div className="min-w-0 flex-1">
                <p className={n.read ? '' : 'font-semibold'}>
                  {n.read ? null : <span className="sr-only">{t('notifications.unread')}: </span>}
                  {t(`notifications.kinds.${n.kind}` as MessageKey, n.params)}
                </p>
                <p className="text-sm text-slate-700">
                  <time dateTime={n.createdAt}>{when.format(new Date(n.createdAt))}</time>
                </p>
              </div>
              {href ? (
                <Link href={href} className="text-indigo-800 underline" onClick={() => (n.read ? undefined : markRead.mutate(n.id))}>
                  {t('notifications.open')}
                </Link>
              ) : null}
              {n.read ? null : (
                <Button tone="secondary" onClick={() => markRead.mutate(n.id)}>
                  {t('notifications.markRead')}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {list.hasNextPage ? (
        <Button tone="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('notifications.more')}
        </Button>
      ) : null}
    </section>
  );
}
