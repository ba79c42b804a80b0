'use client';
import Link from 'next/link';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { problemText } from '@/features/shell/problem-text';
import { directionOf } from '@/features/messages/language';
import type { CommentsQuery } from '../listening.keys';
import { useComments } from '../hooks/use-listening';

const SIGN = { positive: '+', neutral: '=', negative: '−', unsupported: '?' } as const;

/** Comments newest first, each as plain text in its own language, with its sentiment in words. */
export function CommentsList({ query }: { query: CommentsQuery }) {
  const { t, locale } = useI18n();
  const comments = useComments(query);
  const pages = comments.data?.pages ?? [];
  const items = pages.flatMap((p) => p.items);
  const counts = pages[0]?.counts ?? {};
  const when = (at: string) => new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
  return (
    <section aria-labelledby="comments-heading" className="mb-6">
      <h2 id="comments-heading" className="mb-1 text-lg font-semibold">{t('listening.comments')}</h2>
      {pages[0] ? (
        <p className="mb-2 text-sm text-slate-800">
          {t('listening.counts', { positive: counts.positive ?? 0, neutral: counts.neutral ?? 0, negative: counts.negative ?? 0, unsupported: counts.unsupported ?? 0 })}
        </p>
      ) : null}
      {comments.error ? <Alert>{comments.error instanceof ApiError ? problemText(t, comments.error) : t('errors.unknown_error')}</Alert> : null}
      {!comments.data && !comments.error ? <p role="status">{t('shell.loading')}</p> : null}
      {comments.data && items.length === 0 ? <p className="text-sm text-slate-800">{t('listening.noneFound')}</p> : null}
      <ul aria-busy={comments.isFetching} className="space-y-2">
        {items.map((c) => (
          <li key={c.id} className="rounded border border-slate-300 bg-white p-3">
            <p lang={c.lang === 'und' ? undefined : c.lang} dir={c.lang === 'und' ? undefined : directionOf(c.lang)} className="whitespace-pre-wrap">{c.body}</p>
            <p className="mt-1 text-xs text-slate-800">
              <span className="font-semibold">{`${SIGN[c.sentiment]} ${t(`analytics.sentiments.${c.sentiment}`)}`}</span>
              {' · '}
              {t(`channels.${c.network}`)}
              {' · '}
              {c.authorHandle ?? t('listening.handleCleared')}
              {' · '}
              <time dateTime={c.publishedAt}>{when(c.publishedAt)}</time>
              {' · '}
              {c.lang}
              {c.messageId ? (
                <>
                  {' · '}
                  <Link className="text-indigo-800 underline" href={`/messages/view/?id=${c.messageId}`}>{t('listening.openMessage')}</Link>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
      {comments.hasNextPage ? (
        <Button tone="secondary" className="mt-3" disabled={comments.isFetchingNextPage} onClick={() => void comments.fetchNextPage()}>
          {t('listening.more')}
        </Button>
      ) : null}
    </section>
  );
}
