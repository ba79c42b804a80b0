import { useI18n } from '@/lib/i18n/i18n';
import type { ApprovalHistory } from '../messages.keys';
import { languageName } from '../language';
import { Instant } from './instant';

/** Each stage's state per language, then every decision ever made, comments as text. */
export function ApprovalsSection({ history }: { history: ApprovalHistory }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="approvals-heading" className="mb-6">
      <h2 id="approvals-heading" className="mb-2 text-lg font-semibold">{t('detail.approvals')}</h2>
      {history.stages.length === 0 ? <p className="text-sm">{t('detail.noApprovalNeeded')}</p> : null}
      <ul className="mb-3 space-y-1 text-sm">
        {history.stages.map((s) => (
          <li key={s.index}>
            <span className="font-medium">{t(s.done ? 'approvals.stageDone' : 'approvals.stageOpen', { name: s.name })}</span>
            <ul className="ml-4 list-disc">
              {s.parts.map((p) => (
                <li key={p.language ?? '*'}>
                  {t(p.done ? 'detail.partDone' : 'detail.partOpen', {
                    language: p.language ? languageName(p.language, locale) : t('detail.allLanguages'),
                    count: p.approvedBy.length,
                    required: p.required,
                  })}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {history.decisions.length > 0 ? (
        <ul className="space-y-1 text-sm">
          {history.decisions.map((d) => (
            <li key={d.id}>
              {t(d.decision === 'approved' ? 'detail.decisionApproved' : 'detail.decisionChanges', {
                version: d.version,
                language: d.language ? languageName(d.language, locale) : t('detail.allLanguages'),
              })}
              {d.comment ? <>: <q className="whitespace-pre-wrap">{d.comment}</q></> : null}
              {d.counts ? '' : ` (${t('detail.superseded')})`}
              {' · '}
              <Instant at={d.createdAt} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
