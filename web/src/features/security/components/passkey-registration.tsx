'use client';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { useRegisterPasskey } from '../hooks/use-security';
import { FactorError } from './error-text';
import { RecoveryCodes } from './recovery-codes';

/** Name it, then the browser asks the authenticator (fingerprint, PIN, security key). */
export function PasskeyRegistration({ onDone }: { onDone?: () => void }) {
  const t = useT();
  const register = useRegisterPasskey();
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate(name, { onSuccess: () => setName('') });
  };
  return (
    <div>
      <FactorError error={register.error} />
      {register.data ? <p role="status" className="text-sm">{t('security.passkeyAdded', { name: register.data.passkey.name })}</p> : null}
      {register.data?.recoveryCodes ? <RecoveryCodes codes={register.data.recoveryCodes} /> : null}
      {register.data && onDone ? (
        <Button onClick={onDone}>{t('security.continue')}</Button>
      ) : (
        <form onSubmit={submit} noValidate>
          <TextField label={t('security.passkeyName')} hint={t('security.passkeyNameHint')} maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <Button type="submit" disabled={register.isPending}>
            {t('security.passkeyAdd')}
          </Button>
        </form>
      )}
    </div>
  );
}
