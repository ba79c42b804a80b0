'use client';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { problemText } from '@/features/shell/problem-text';
import { useAcceptInvitation } from '../hooks/use-session-mutations';

const CODES = ['invitation_not_found', 'invitation_expired', 'invitation_used', 'already_member', 'display_name_required'] as const;

function errorText(t: ReturnType<typeof useT>, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unknown_error');
  const code = CODES.find((c) => c === error.code);
  return code ? t(`invitation.errors.${code}`) : problemText(t, error);
}

/**
 * Where an invitation link lands. The token rides in the fragment (`#token=`), which browsers
 * never send to a server or put in a Referer: it is read here and sent once, in the body.
 */
export function AcceptInvitationScreen() {
  const t = useT();
  const accept = useAcceptInvitation();
  const [token, setToken] = useState<string | null>(null);
  const [form, setForm] = useState({ displayName: '', password: '' });
  useEffect(() => {
    setToken(new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '');
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!token) return;
    accept.mutate({ token, password: form.password, ...(form.displayName.trim() ? { displayName: form.displayName.trim() } : {}) });
  };
  return (
    <main className="mx-auto mt-10 max-w-md rounded bg-white p-6 shadow">
      <PageHeading>{t('invitation.title')}</PageHeading>
      {token === '' ? <Alert>{t('invitation.noToken')}</Alert> : null}
      {accept.isSuccess ? (
        <p role="status" className="mb-3">
          {t('invitation.accepted')}{' '}
          <Link className="text-indigo-800 underline" href="/login/">
            {t('invitation.signIn')}
          </Link>
        </p>
      ) : (
        <>
          <p className="mb-4 text-sm text-slate-800">{t('invitation.explain')}</p>
          {accept.error ? <Alert>{errorText(t, accept.error)}</Alert> : null}
          <form onSubmit={submit} noValidate>
            <TextField label={t('invitation.displayName')} autoComplete="name" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
            <TextField label={t('invitation.password')} type="password" autoComplete="new-password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} hint={t('setup.passwordHint')} />
            <Button type="submit" disabled={!token || accept.isPending} className="w-full">
              {t('invitation.accept')}
            </Button>
          </form>
        </>
      )}
    </main>
  );
}
