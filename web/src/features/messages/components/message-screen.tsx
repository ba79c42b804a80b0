'use client';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { PageHeading } from '@/ui/page-heading';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { useApprovalProgress } from '@/features/approvals/hooks/use-approvals';
import { MessageAnalyticsPanel } from '@/features/analytics/components/message-analytics-panel';
import { useMessage } from '../hooks/use-messages';
import { ApprovalsSection } from './approvals-section';
import { AuditSection } from './audit-section';
import { DeliveriesSlot } from './deliveries-slot';
import { VersionsSection } from './versions-section';
import { readContent } from '../content';
import { directionOf, languageName } from '../language';
import { StatusBadge } from './status-badge';
import { TargetNames } from './target-picker';
import { When } from './when';

/**
 * One message: status, time, every language's text (as text, never HTML), its versions with the
 * word diff, approvals per language, deliveries once that API exists, and its audit trail.
 */
export function MessageScreen() {
  const { t, locale } = useI18n();
  const id = useSearchParams().get('id');
  const message = useMessage(id);
  const history = useApprovalProgress(id);
  const me = useMe().data;
  if (message.isError) return <Alert>{t('errors.message_not_found')}</Alert>;
  const m = message.data;
  if (!m) return <p role="status">{t('shell.loading')}</p>;
  const content = readContent(m.content);
  const approvedVersions = (history.data?.decisions ?? []).filter((d) => d.decision === 'approved').map((d) => d.version);
  const approved = approvedVersions.length > 0 ? Math.max(...approvedVersions) : undefined;
  return (
    <>
      <PageHeading>{m.title}</PageHeading>
      <dl className="mb-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium">{t('messages.statusColumn')}</dt>
        <dd><StatusBadge status={m.status} /></dd>
        <dt className="font-medium">{t('messages.scheduleColumn')}</dt>
        <dd>{m.schedule ? <When local={m.schedule.local} zone={m.schedule.zone} /> : t('messages.unscheduled')}</dd>
        <dt className="font-medium">{t('composer.channels')}</dt>
        <dd>{content.channels.map((c) => t(`channels.${c}`)).join(', ') || '—'}</dd>
        <dt className="font-medium">{t('composer.targets')}</dt>
        <dd><TargetNames ids={content.targets} /></dd>
      </dl>
      {content.bodies.map(([tag, text]) => (
        <section key={tag} className="mb-3 rounded border border-slate-300 bg-white p-3">
          <h2 className="mb-1 text-sm font-semibold">{languageName(tag, locale)}</h2>
          <p lang={tag} dir={directionOf(tag)} className="whitespace-pre-wrap">{text}</p>
        </section>
      ))}
      {m.status === 'draft' || m.status === 'changes_requested' ? (
        <Link className="mr-4 text-indigo-800 underline" href={`/messages/new/?id=${m.id}`}>
          {t('detail.edit')}
        </Link>
      ) : null}
      {m.status === 'in_review' ? (
        <Link className="text-indigo-800 underline" href={`/approvals/review/?id=${m.id}`}>
          {t('approvals.review')}
        </Link>
      ) : null}
      <div className="mt-6">
        <VersionsSection id={m.id} current={m.version} approved={approved} />
        {history.data ? <ApprovalsSection history={history.data} /> : null}
        <DeliveriesSlot message={m} />
        {can(me, 'analytics.read') && ['published', 'partially_published'].includes(m.status) ? <MessageAnalyticsPanel id={m.id} /> : null}
        {can(me, 'audit.read') ? <AuditSection id={m.id} /> : null}
      </div>
    </>
  );
}
