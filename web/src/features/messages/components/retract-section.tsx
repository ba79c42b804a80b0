'use client';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { useRetract } from '../hooks/use-deliveries';

/** Taking a published message down: a reason (kept in the audit trail), then a confirmation. */
export function RetractSection({ messageId }: { messageId: string }) {
  const { t } = useI18n();
  const retract = useRetract(messageId);
  const [reason, setReason] = useState('');
  return (
    <div className="mt-4 rounded border border-red-300 bg-white p-3">
      {retract.error ? <Alert>{retract.error instanceof ApiError ? problemText(t, retract.error) : t('errors.unknown_error')}</Alert> : null}
      {retract.isSuccess ? <Alert tone="info">{t('detail.retracted')}</Alert> : null}
      <TextField label={t('detail.retractReason')} hint={t('detail.retractReasonHint')} value={reason} onChange={(e) => setReason(e.target.value)} required />
      <ConfirmDialog
        trigger={
          <Button tone="danger" disabled={!reason.trim() || retract.isPending}>
            {t('detail.retract')}
          </Button>
        }
        title={t('detail.retractTitle')}
        description={t('detail.retractConfirm', { reason: reason.trim() })}
        confirm={t('detail.retract')}
        cancel={t('detail.cancel')}
        onConfirm={() => retract.mutate(reason.trim(), { onSuccess: () => setReason('') })}
      />
    </div>
  );
}
