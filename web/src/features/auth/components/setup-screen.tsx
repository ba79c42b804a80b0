'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { problemText } from '@/features/shell/problem-text';
import { useSetup, useSignIn } from '../hooks/use-session-mutations';

/** First run: the one-time token printed by `npm start` creates the first organisation and its owner. */
export function SetupScreen() {
  const t = useT();
  const router = useRouter();
  const setup = useSetup();
  const signIn = useSignIn();
  const [form, setForm] = useState({ token: '', organisationName: '', displayName: '', email: '', password: '' });
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { displayName, ...rest } = form;
    setup.mutate(
      { ...rest, ...(displayName.trim() ? { displayName } : {}) },
      { onSuccess: () => signIn.mutate({ email: form.email, password: form.password }, { onSuccess: () => router.replace('/') }) },
    );
  };
  const error = setup.error ?? signIn.error;
  return (
    <main className="mx-auto mt-10 max-w-md rounded bg-white p-6 shadow">
      <PageHeading>{t('setup.title')}</PageHeading>
      <p className="mb-4 text-sm text-slate-800">{t('setup.intro')}</p>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      <form onSubmit={submit} noValidate>
        <TextField label={t('setup.token')} required autoComplete="off" value={form.token} onChange={set('token')} hint={t('setup.tokenHint')} />
        <TextField label={t('setup.organisation')} required value={form.organisationName} onChange={set('organisationName')} />
        <TextField label={t('setup.displayName')} autoComplete="name" value={form.displayName} onChange={set('displayName')} />
        <TextField label={t('auth.email')} type="email" autoComplete="username" required value={form.email} onChange={set('email')} />
        <TextField label={t('auth.password')} type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} hint={t('setup.passwordHint')} />
        <Button type="submit" disabled={setup.isPending || signIn.isPending} className="w-full">
          {t('setup.submit')}
        </Button>
      </form>
    </main>
  );
}
