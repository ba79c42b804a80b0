'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { FactorError } from '@/features/security/components/error-text';
import { FactorForm } from '@/features/security/components/factor-form';
import { usePasskeySignIn, useSecondStep, useSignIn } from '../hooks/use-session-mutations';
import { SsoSignIn } from '@/features/sso/components/sso-sign-in';
import { requiredProviders } from '@/features/sso/sso-required';

/** Only same-site paths: `next` must not send a signed-in user to another site. */
function safeNext(next: string | null): string {
  // Same-origin paths only: browsers read `/\host` like `//host`, another site.
  return next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/';
}

type Challenge = { challengeToken: string; methods: string[] | undefined };

export function SignInScreen() {
  const t = useT();
  const router = useRouter();
  const params = useSearchParams();
  const signIn = useSignIn();
  const passkey = usePasskeySignIn();
  const second = useSecondStep();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<Challenge | undefined>(undefined);
  const done = () => router.replace(safeNext(params.get('next')));
  // Single sign-on hands its second step over in the fragment (never sent to a server or logged).
  useEffect(() => {
    const token = /^#mfa=([^&]+)/.exec(window.location.hash)?.[1];
    if (!token) return;
    history.replaceState(null, '', window.location.pathname + window.location.search);
    setChallenge({ challengeToken: decodeURIComponent(token), methods: undefined });
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(
      { email, password },
      { onSuccess: (r) => ('mfaRequired' in r ? setChallenge({ challengeToken: r.challengeToken, methods: r.methods }) : done()) },
    );
  };
  if (challenge) {
    return (
      <main className="mx-auto mt-16 max-w-sm rounded bg-white p-6 shadow">
        <PageHeading>{t('security.secondStepTitle')}</PageHeading>
        <p className="mb-3 text-sm text-slate-800">{t('security.secondStepExplain')}</p>
        <FactorForm
          passkey={challenge.methods?.includes('passkey') ?? true}
          pending={second.isPending}
          error={second.error}
          onCode={(code) => second.mutate({ challengeToken: challenge.challengeToken, code }, { onSuccess: done })}
          onPasskey={() => second.mutate({ challengeToken: challenge.challengeToken, passkey: true }, { onSuccess: done })}
        />
        <Button tone="secondary" className="mt-4" onClick={() => setChallenge(undefined)}>
          {t('security.startAgain')}
        </Button>
      </main>
    );
  }
  return (
    <main className="mx-auto mt-16 max-w-sm rounded bg-white p-6 shadow">
      <PageHeading>{t('auth.signInTitle')}</PageHeading>
      <FactorError error={signIn.error ?? passkey.error} />
      <form onSubmit={submit} noValidate>
        <TextField label={t('auth.email')} type="email" autoComplete="username webauthn" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label={t('auth.password')} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <Button type="submit" disabled={signIn.isPending} className="w-full">
          {t('auth.signIn')}
        </Button>
      </form>
      <Button tone="secondary" className="mt-3 w-full" disabled={passkey.isPending} onClick={() => passkey.mutate(undefined, { onSuccess: done })}>
        {t('security.signInWithPasskey')}
      </Button>
      <SsoSignIn email={email} required={requiredProviders(signIn.error ?? passkey.error)} />
      <p className="mt-4 text-sm text-slate-800">
        {t('auth.firstRun')}{' '}
        <Link href="/setup/" className="text-indigo-800 underline">
          {t('auth.setUp')}
        </Link>
      </p>
    </main>
  );
}
