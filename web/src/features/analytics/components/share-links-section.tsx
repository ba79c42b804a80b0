'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import type { CreateDashboard, DashboardView } from '../analytics.keys';
import { useCreateDashboard, useDashboards, useRevokeDashboard } from '../hooks/use-analytics';

const WIDGETS = ['reach_over_time', 'top_posts', 'sentiment_share'] as const;
type Widget = (typeof WIDGETS)[number];

/** Public dashboards: publish one behind a signed, expiring link; revoke it. Aggregates only leave. */
export function ShareLinksSection({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const list = useDashboards(true);
  const create = useCreateDashboard();
  const revoke = useRevokeDashboard();
  const [title, setTitle] = useState('');
  const [widgets, setWidgets] = useState<Widget[]>([...WIDGETS]);
  const [rangeDays, setRangeDays] = useState('30');
  const [expiresInDays, setExpiresInDays] = useState('30');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: CreateDashboard = { title: title.trim(), widgets, rangeDays: Number(rangeDays), expiresInDays: Number(expiresInDays) };
    create.mutate(body, { onSuccess: () => setTitle('') });
  };
  const error = create.error ?? revoke.error;
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="share-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="share-heading" className="mb-1 text-lg font-semibold">{t('analytics.share.title')}</h2>
      <p className="mb-3 text-sm text-slate-800">{t('analytics.share.explain')}</p>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {create.isSuccess ? <Alert tone="info">{t('analytics.share.created')}</Alert> : null}
      {items.length === 0 ? <p className="mb-3 text-sm text-slate-800">{t('analytics.share.none')}</p> : <ul className="mb-4 space-y-3">{items.map((d) => <DashboardItem key={d.id} d={d} canManage={canManage} onRevoke={() => revoke.mutate(d.id)} />)}</ul>}
      {canManage ? (
        <form onSubmit={submit} noValidate>
          <div className="grid gap-2 sm:grid-cols-3">
            <TextField label={t('analytics.share.titleField')} value={title} onChange={(e) => setTitle(e.target.value)} />
            <TextField label={t('analytics.share.rangeDays')} type="number" min={1} max={400} value={rangeDays} onChange={(e) => setRangeDays(e.target.value)} />
            <TextField label={t('analytics.share.expires')} type="number" min={1} max={365} value={expiresInDays} onChange={(e) => setExpiresInDays(e.target.value)} />
          </div>
          <fieldset className="mb-3">
            <legend className="text-sm font-medium text-slate-900">{t('analytics.share.widgets')}</legend>
            {WIDGETS.map((w) => (
              <label key={w} className="mr-4 inline-flex items-center gap-1 text-sm">
                <input type="checkbox" checked={widgets.includes(w)} onChange={(e) => setWidgets(e.target.checked ? WIDGETS.filter((x) => x === w || widgets.includes(x)) : widgets.filter((x) => x !== w))} />
                {t(`analytics.share.widget.${w}`)}
              </label>
            ))}
          </fieldset>
          <Button type="submit" disabled={create.isPending || !title.trim() || widgets.length === 0}>{t('analytics.share.create')}</Button>
        </form>
      ) : null}
    </section>
  );
}

function DashboardItem({ d, canManage, onRevoke }: { d: DashboardView; canManage: boolean; onRevoke: () => void }) {
  const { t, locale } = useI18n();
  const when = (at: string) => new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
  return (
    <li className="rounded border border-slate-200 p-3">
      <p className="font-medium">{d.title}</p>
      <p className="text-sm text-slate-800">{d.revokedAt ? t('analytics.share.revoked', { when: when(d.revokedAt) }) : t('analytics.share.expiresAt', { when: when(d.expiresAt) })}</p>
      {d.revokedAt ? null : (
        <>
          <p className="text-sm break-all">
            <a className="text-indigo-800 underline" href={d.url} target="_blank" rel="noreferrer">{t('analytics.share.open', { title: d.title })}</a>
          </p>
          <TextField label={t('analytics.share.embed')} readOnly value={d.embed} onFocus={(e) => e.target.select()} />
          {canManage ? (
            <ConfirmDialog
              trigger={<Button tone="secondary">{t('analytics.share.revokeItem', { title: d.title })}</Button>}
              title={t('analytics.share.revokeTitle', { title: d.title })}
              description={t('analytics.share.revokeConfirm')}
              confirm={t('analytics.share.revoke')}
              cancel={t('settings.cancel')}
              onConfirm={onRevoke}
            />
          ) : null}
        </>
      )}
    </li>
  );
}
