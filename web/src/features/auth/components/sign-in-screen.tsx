'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { useSignIn } from '../hooks/use-session-mutations';
import { problemText } from '@/features/shell/problem-text';
import { SsoSignIn } from '@/features/sso/components/sso-sign-in';

/** Only same-site paths: `next` must not send a signed-in user to another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInScreen() {
  const t = useT();
  const router = useRouter();
  const params = useSearchParams();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => router.replace(safeNext(params.get('next'))) });
  };
  return (
    <main className="mx-auto mt-16 max-w-sm rounded bg-white p-6 shadow">
      <PageHeading>{t('auth.signInTitle')}</PageHeading>
      {signIn.error ? <Alert>{signIn.error instanceof ApiError ? problemText(t, signIn.error) : t('errors.unknown_error')}</Alert> : null}
      <form onSubmit={submit} noValidate>
        <TextField label={t('auth.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label={t('auth.password')} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <Button type="submit" disabled={signIn.isPending} className="w-full">
          {t('auth.signIn')}
        </Button>
      </form>
      <SsoSignIn email={email} />
      <p className="mt-4 text-sm text-slate-800">
        {t('auth.firstRun')}{' '}
        <Link href="/setup/" className="text-indigo-800 underline">
          {t('auth.setUp')}
        </Link>
      </p>
    </main>
  );
}
