'use client';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { problemText } from '@/features/shell/problem-text';
import { SsoSignIn } from '@/features/sso/components/sso-sign-in';
import { useAcceptInvitation } from '../hooks/use-session-mutations';
import { invitationProblem, type InvitationProblem } from '../invitation-problem';

function errorText(t: ReturnType<typeof useT>, problem: InvitationProblem): string | undefined {
  switch (problem.kind) {
    case 'none':
    case 'sso':
      return undefined;
    case 'invitation':
      return t(`invitation.errors.${problem.code}`);
    case 'api':
      return problemText(t, problem.error);
    case 'unknown':
      return t('errors.unknown_error');
  }
}

/**
 * Where an invitation link lands. The token rides in the fragment (`#token=`), which browsers
 * never send to a server or put in a Referer: it is read here and sent once, in the body.
 * Where the organisation requires SSO of the invited role, the password is refused
 * (`sso_required`): the page then offers the providers, and the sign-in it starts carries the
 * token, so the provider's callback accepts the invitation and lands the invitee signed in.
 */
export function AcceptInvitationScreen() {
  const t = useT();
  const accept = useAcceptInvitation();
  const [token, setToken] = useState<string | null>(null);
  const [form, setForm] = useState({ displayName: '', password: '' });
  useEffect(() => {
    setToken(new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '');
  }, []);
  const problem = invitationProblem(accept.error);
  const message = errorText(t, problem);
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
      ) : problem.kind === 'sso' ? (
        <>
          <p role="status" className="mb-2 text-sm text-slate-800">
            {t('invitation.ssoRequired')}
          </p>
          {problem.providers.length === 0 ? <Alert>{t('invitation.ssoNoProvider')}</Alert> : null}
          <SsoSignIn email="" required={problem.providers} invitationToken={token ?? undefined} />
        </>
      ) : (
        <>
          <p className="mb-4 text-sm text-slate-800">{t('invitation.explain')}</p>
          {message ? <Alert>{message}</Alert> : null}
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
