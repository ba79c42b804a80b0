'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { useSignOut } from '@/features/auth/hooks/use-session-mutations';
import { useEndSession, useMfaStatus, usePasskeys, useRegenerateCodes, useRemovePasskey, useRenamePasskey, useSessions } from '../hooks/use-security';
import { FactorError } from './error-text';
import { PasskeyRegistration } from './passkey-registration';
import { RecoveryCodes } from './recovery-codes';
import { useStepUpGuard } from './step-up';
import { TotpEnrolment } from './totp-enrolment';

const SECTION = 'mb-6 rounded border border-slate-300 bg-white p-4';

/** "Your security": the authenticator app, recovery codes, passkeys and sessions. */
export function SecurityScreen() {
  const t = useT();
  const status = useMfaStatus().data;
  // An enrolment started here stays on screen until the user moves on: its recovery codes must
  // not vanish when the confirmed factor refreshes the status.
  const [enrolling, setEnrolling] = useState(false);
  if (status && status.totp.state !== 'confirmed' && !enrolling) setEnrolling(true);
  return (
    <>
      <PageHeading>{t('security.title')}</PageHeading>
      {status?.requiredHere ? <p className="mb-4 text-sm">{t('security.requiredHere')}</p> : null}
      <section aria-labelledby="totp-heading" className={SECTION}>
        <h2 id="totp-heading" className="mb-2 text-lg font-semibold">{t('security.totpTitle')}</h2>
        {enrolling ? <TotpEnrolment onDone={() => setEnrolling(false)} /> : status?.totp.state === 'confirmed' ? <p className="text-sm">{t('security.totpOn')}</p> : null}
      </section>
      {status && (status.totp.state === 'confirmed' || status.passkeys > 0) ? <RecoverySection left={status.recoveryCodesLeft} canRegenerate={status.totp.state === 'confirmed'} /> : null}
      <PasskeysSection />
      <SessionsSection />
    </>
  );
}

function RecoverySection({ left, canRegenerate }: { left: number; canRegenerate: boolean }) {
  const t = useT();
  const regenerate = useRegenerateCodes();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    regenerate.mutate(code.trim(), { onSuccess: () => setCode('') });
  };
  return (
    <section aria-labelledby="recovery-heading" className={SECTION}>
      <h2 id="recovery-heading" className="mb-2 text-lg font-semibold">{t('security.recoveryCodesTitle')}</h2>
      <p className="mb-2 text-sm">{t('security.recoveryCodesLeft', { count: left })}</p>
      {regenerate.data ? <RecoveryCodes codes={regenerate.data.recoveryCodes} /> : null}
      {canRegenerate ? (
        <form onSubmit={submit} noValidate>
          <FactorError error={regenerate.error} />
          <TextField label={t('security.regenerateCode')} autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          <Button type="submit" tone="secondary" disabled={regenerate.isPending || !code.trim()}>
            {t('security.regenerate')}
          </Button>
        </form>
      ) : null}
    </section>
  );
}

function PasskeysSection() {
  const t = useT();
  const guard = useStepUpGuard();
  const passkeys = usePasskeys().data?.items ?? [];
  const rename = useRenamePasskey();
  const remove = useRemovePasskey(guard);
  return (
    <section aria-labelledby="passkeys-heading" className={SECTION}>
      <h2 id="passkeys-heading" className="mb-2 text-lg font-semibold">{t('security.passkeysTitle')}</h2>
      <p className="mb-2 text-sm">{t('security.passkeysExplain')}</p>
      <FactorError error={rename.error ?? remove.error} />
      {passkeys.length === 0 ? (
        <p className="mb-3 text-sm">{t('security.noPasskeys')}</p>
      ) : (
        <ul className="mb-3 divide-y divide-slate-200">
          {passkeys.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center gap-2 py-2">
              <span className="font-medium">{p.name}</span>
              <span className="text-xs text-slate-700">
                {t('security.passkeyAddedOn', { date: new Date(p.createdAt).toLocaleDateString() })}
                {p.lastUsedAt ? ` · ${t('security.passkeyLastUsed', { date: new Date(p.lastUsedAt).toLocaleString() })}` : ''}
              </span>
              <span className="ml-auto flex gap-2">
                <Button
                  tone="secondary"
                  aria-label={t('security.renameOf', { name: p.name })}
                  onClick={() => {
                    const name = window.prompt(t('security.passkeyName'), p.name)?.trim();
                    if (name && name !== p.name) rename.mutate({ id: p.id, name });
                  }}
                >
                  {t('security.rename')}
                </Button>
                <ConfirmDialog
                  trigger={<Button tone="danger" aria-label={t('security.removeOf', { name: p.name })}>{t('security.remove')}</Button>}
                  title={t('security.removeTitle', { name: p.name })}
                  description={t('security.removeConfirm')}
                  confirm={t('security.remove')}
                  cancel={t('settings.cancel')}
                  onConfirm={() => remove.mutate(p.id)}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      <PasskeyRegistration />
    </section>
  );
}

function SessionsSection() {
  const t = useT();
  const router = useRouter();
  const sessions = useSessions().data?.items ?? [];
  const end = useEndSession();
  const everywhere = useSignOut(true);
  return (
    <section aria-labelledby="my-sessions-heading" className={SECTION}>
      <h2 id="my-sessions-heading" className="mb-2 text-lg font-semibold">{t('security.sessionsTitle')}</h2>
      <ul className="mb-3 divide-y divide-slate-200">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
            <span>{s.userAgent ?? t('security.unknownDevice')}</span>
            <span className="text-slate-700">{t('security.sessionSince', { date: new Date(s.createdAt).toLocaleString() })}</span>
            {s.current ? (
              <span className="ml-auto font-medium">{t('security.thisSession')}</span>
            ) : (
              <Button tone="secondary" className="ml-auto" onClick={() => end.mutate(s.id)}>
                {t('security.endSession')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        trigger={<Button tone="secondary">{t('settings.signOutEverywhere')}</Button>}
        title={t('settings.signOutEverywhere')}
        description={t('settings.signOutEverywhereConfirm')}
        confirm={t('settings.signOutEverywhere')}
        cancel={t('settings.cancel')}
        onConfirm={() => everywhere.mutate(undefined, { onSettled: () => router.replace('/login/') })}
      />
    </section>
  );
}
