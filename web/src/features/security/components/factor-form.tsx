'use client';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { FactorError } from './error-text';

interface Props {
  /** Offer the passkey button (the user has one, or the server's challenge lists it). */
  passkey: boolean;
  pending: boolean;
  error: unknown;
  onCode: (code: string) => void;
  onPasskey: () => void;
}

/**
 * One form for every place a second factor is shown (sign-in's second step, enrolment's
 * "verify", step-up): a six-digit code or a recovery code, or a passkey.
 */
export function FactorForm({ passkey, pending, error, onCode, onPasskey }: Props) {
  const t = useT();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim()) onCode(code.trim());
  };
  return (
    <>
      <FactorError error={error} />
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('security.code')}
          hint={t('security.codeHint')}
          autoComplete="one-time-code"
          inputMode="text"
          autoFocus
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending || !code.trim()}>
            {t('security.verify')}
          </Button>
          {passkey ? (
            <Button tone="secondary" disabled={pending} onClick={onPasskey}>
              {t('security.usePasskey')}
            </Button>
          ) : null}
        </div>
      </form>
    </>
  );
}
