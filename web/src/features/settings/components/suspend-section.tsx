'use client';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { TextField } from '@/ui/field';
import { useSuspension } from '@/features/shell/hooks/use-suspension';
import { problemText } from '@/features/shell/problem-text';
import { useResume, useSuspend } from '../hooks/use-settings';

/** The crisis switch: a reason, a confirmation, and the banner on every screen until resumed. */
export function SuspendSection() {
  const t = useT();
  const status = useSuspension(true).data;
  const suspend = useSuspend();
  const resume = useResume();
  const [reason, setReason] = useState('');
  const error = suspend.error ?? resume.error;
  return (
    <section aria-labelledby="suspend-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="suspend-heading" className="mb-2 text-lg font-semibold">{t('settings.suspendTitle')}</h2>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {status?.suspension ? (
        <>
          <p className="mb-2">{t('shell.suspendedReason', { reason: status.suspension.reason })}</p>
          <ConfirmDialog
            trigger={<Button>{t('settings.resume')}</Button>}
            title={t('settings.resumeConfirmTitle')}
            description={t('settings.resumeConfirm')}
            confirm={t('settings.resume')}
            cancel={t('settings.cancel')}
            onConfirm={() => resume.mutate(status.suspension!.id)}
          />
        </>
      ) : (
        <>
          <p className="mb-2 text-sm">{t('settings.suspendExplain')}</p>
          <TextField label={t('settings.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <ConfirmDialog
            trigger={<Button tone="danger" disabled={!reason.trim()}>{t('settings.suspend')}</Button>}
            title={t('settings.suspendConfirmTitle')}
            description={t('settings.suspendConfirm', { reason })}
            confirm={t('settings.suspend')}
            cancel={t('settings.cancel')}
            onConfirm={() => suspend.mutate(reason.trim(), { onSuccess: () => setReason('') })}
          />
        </>
      )}
    </section>
  );
}
