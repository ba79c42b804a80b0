'use client';
import dynamic from 'next/dynamic';
import { useState, type ReactNode } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { PageHeading } from '@/ui/page-heading';
import { hasFactor, useMfaStatus, useShowFactor } from '../hooks/use-security';

// The gate wraps every screen but holds almost no one: its forms (the QR code, the passkey
// ceremony) load only when it does.
const FactorForm = dynamic(() => import('./factor-form').then((m) => m.FactorForm));
const PasskeyRegistration = dynamic(() => import('./passkey-registration').then((m) => m.PasskeyRegistration));
const TotpEnrolment = dynamic(() => import('./totp-enrolment').then((m) => m.TotpEnrolment));

/**
 * Where the organisation's sign-in policy requires a second factor this session has not shown,
 * the console walks the user through it instead of showing screens the server would refuse:
 * enrol one (an authenticator app or a passkey), or show the one they have.
 */
export function FactorGate({ children }: { children: ReactNode }) {
  const t = useT();
  const status = useMfaStatus().data;
  const show = useShowFactor();
  // Once the walk-through starts it stays until the user moves on: the recovery codes it shows
  // must not vanish the moment the enrolment lifts the hold.
  const [enrolling, setEnrolling] = useState(false);
  const held = Boolean(status?.requiredHere && !status.session.verifiedAt);
  if (held && status && !hasFactor(status) && !enrolling) setEnrolling(true);
  if (!enrolling && (!status || !held)) return <>{children}</>;
  if (!enrolling && status && hasFactor(status)) {
    return (
      <section className="mx-auto max-w-md">
        <PageHeading>{t('security.verifyTitle')}</PageHeading>
        <p className="mb-3 text-sm">{t('security.verifyExplain')}</p>
        <FactorForm passkey={status.passkeys > 0} pending={show.isPending} error={show.error} onCode={(code) => show.mutate({ code })} onPasskey={() => show.mutate({ passkey: true })} />
      </section>
    );
  }
  return (
    <section className="mx-auto max-w-2xl">
      <PageHeading>{t('security.enrolTitle')}</PageHeading>
      <p className="mb-4 text-sm">{t('security.enrolExplain')}</p>
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-labelledby="enrol-passkey" className="rounded border border-slate-300 bg-white p-4">
          <h2 id="enrol-passkey" className="mb-2 font-semibold">{t('security.passkeysTitle')}</h2>
          <PasskeyRegistration onDone={() => setEnrolling(false)} />
        </section>
        <section aria-labelledby="enrol-totp" className="rounded border border-slate-300 bg-white p-4">
          <h2 id="enrol-totp" className="mb-2 font-semibold">{t('security.totpTitle')}</h2>
          <TotpEnrolment onDone={() => setEnrolling(false)} />
        </section>
      </div>
    </section>
  );
}
