'use client';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextArea } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { useMessage } from '@/features/messages/hooks/use-messages';
import { readContent } from '@/features/messages/content';
import { directionOf, languageName } from '@/features/messages/language';
import { StatusBadge } from '@/features/messages/components/status-badge';
import { When } from '@/features/messages/components/when';
import { problemText } from '@/features/shell/problem-text';
import { useApprovalProgress, useDecide } from '../hooks/use-approvals';

/** Every language side by side; the decision is bound to the content hash the reviewer read. */
export function ReviewScreen() {
  const { t, locale } = useI18n();
  const id = useSearchParams().get('id') ?? '';
  const me = useMe().data;
  const message = useMessage(id);
  const progress = useApprovalProgress(id);
  const decide = useDecide(id);
  const [comment, setComment] = useState('');
  const m = message.data;
  if (message.isError) return <Alert>{t('errors.message_not_found')}</Alert>;
  if (!m) return <p role="status">{t('shell.loading')}</p>;
  const act = (decision: 'approved' | 'changes_requested') => decide.mutate({ decision, contentHash: m.contentHash, comment });
  const open = m.status === 'in_review' && can(me, 'content.approve');
  return (
    <>
      <PageHeading>{t('approvals.reviewOf', { title: m.title })}</PageHeading>
      <p className="mb-3 text-sm">
        <StatusBadge status={m.status} /> {m.schedule ? <When local={m.schedule.local} zone={m.schedule.zone} /> : null}
      </p>
      <div className="mb-4 grid gap-3 md:grid-cols-2">
        {readContent(m.content).bodies.map(([tag, text]) => (
          <section key={tag} className="rounded border border-slate-300 bg-white p-3">
            <h2 className="mb-1 text-sm font-semibold">{languageName(tag, locale)}</h2>
            <p lang={tag} dir={directionOf(tag)} className="whitespace-pre-wrap">{text}</p>
          </section>
        ))}
      </div>
      {progress.data ? (
        <ul className="mb-4 text-sm">
          {progress.data.stages.map((s) => (
            <li key={s.index}>{t(s.done ? 'approvals.stageDone' : 'approvals.stageOpen', { name: s.name })}</li>
          ))}
        </ul>
      ) : null}
      {decide.error ? <Alert>{decide.error instanceof ApiError ? problemText(t, decide.error) : t('errors.unknown_error')}</Alert> : null}
      {decide.isSuccess ? <Alert tone="info">{t(decide.variables.decision === 'approved' ? 'approvals.approvedDone' : 'approvals.changesDone')}</Alert> : null}
      {open && !decide.isSuccess ? (
        <>
          <TextArea label={t('approvals.comment')} value={comment} onChange={(e) => setComment(e.target.value)} hint={t('approvals.commentHint')} />
          <div className="flex gap-2">
            <Button onClick={() => act('approved')} disabled={decide.isPending}>
              {t('approvals.approve')}
            </Button>
            <Button tone="secondary" onClick={() => act('changes_requested')} disabled={decide.isPending || !comment.trim()}>
              {t('approvals.requestChanges')}
            </Button>
          </div>
        </>
      ) : null}
    </>
  );
}
