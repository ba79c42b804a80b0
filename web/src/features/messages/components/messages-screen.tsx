'use client';
import Link from 'next/link';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { PageHeading } from '@/ui/page-heading';
import { useMessages } from '../hooks/use-messages';
import type { MessageSummary } from '../messages.keys';
import { StatusBadge } from './status-badge';
import { When } from './when';

export function MessageTable({ items, caption, href = (id) => `/messages/view/?id=${id}` }: { items: MessageSummary[]; caption: string; href?: (id: string) => string }) {
  const t = useT();
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-slate-400">
          <th scope="col" className="py-1">{t('messages.titleColumn')}</th>
          <th scope="col">{t('messages.statusColumn')}</th>
          <th scope="col">{t('messages.languagesColumn')}</th>
          <th scope="col">{t('messages.scheduleColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr key={m.id} className="border-b border-slate-200">
            <td className="py-1.5">
              <Link className="text-indigo-800 underline" href={href(m.id)}>
                {m.title}
              </Link>
            </td>
            <td><StatusBadge status={m.status} /></td>
            <td>{m.languages.join(', ')}</td>
            <td>{m.schedule ? <When local={m.schedule.local} zone={m.schedule.zone} /> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MessagesScreen() {
  const t = useT();
  const list = useMessages();
  return (
    <>
      <div className="flex items-center justify-between">
        <PageHeading>{t('messages.title')}</PageHeading>
        <Link href="/messages/new/" className="rounded bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800">
          {t('messages.new')}
        </Link>
      </div>
      {list.isError ? <Alert>{t('errors.unknown_error')}</Alert> : null}
      {list.data ? list.data.items.length ? <MessageTable items={list.data.items} caption={t('messages.title')} /> : <p>{t('messages.empty')}</p> : <p role="status">{t('shell.loading')}</p>}
    </>
  );
}
