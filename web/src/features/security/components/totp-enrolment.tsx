'use client';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { useConfirmTotp, useStartTotp } from '../hooks/use-security';
import { FactorError } from './error-text';
import { QrCode } from './qr-code';
import { RecoveryCodes } from './recovery-codes';

/** Scan (or type) the secret, confirm with the first code, keep the recovery codes. */
export function TotpEnrolment({ onDone }: { onDone?: () => void }) {
  const t = useT();
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.trim());
  };
  if (confirm.data) {
    return (
      <div>
        <p role="status" className="text-sm">{t('security.totpEnrolled')}</p>
        <RecoveryCodes codes={confirm.data.recoveryCodes} />
        {onDone ? <Button onClick={onDone}>{t('security.continue')}</Button> : null}
      </div>
    );
  }
  if (!start.data) {
    return (
      <div>
        <FactorError error={start.error} />
        <Button onClick={() => start.mutate()} disabled={start.isPending}>
          {t('security.totpStart')}
        </Button>
      </div>
    );
  }
  return (
    <div>
      <p className="mb-2 text-sm">{t('security.totpScan')}</p>
      <QrCode value={start.data.otpauthUri} label={t('security.totpQr')} />
      <p className="mt-2 text-sm">
        {t('security.totpManual')} <code className="font-mono break-all" data-testid="totp-secret">{start.data.secret}</code>
      </p>
      <FactorError error={confirm.error} />
      <form onSubmit={submit} noValidate className="mt-3">
        <TextField label={t('security.totpFirstCode')} autoComplete="one-time-code" inputMode="numeric" required value={code} onChange={(e) => setCode(e.target.value)} />
        <Button type="submit" disabled={confirm.isPending || !code.trim()}>
          {t('security.totpConfirm')}
        </Button>
      </form>
    </div>
  );
}
