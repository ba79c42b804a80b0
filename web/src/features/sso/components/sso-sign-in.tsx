'use client';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { problemText } from '@/features/shell/problem-text';
import { useProvidersForEmail, useStartSso } from '../hooks/use-sso';
import type { Choice } from '../sso-required';

/**
 * On the sign-in page: once the email names a domain an organisation has given to an identity
 * provider, a "Sign in with <provider>" choice for each (the server answers names only). When
 * a sign-in was refused because the organisation requires SSO, the providers the refusal named
 * come first, under a heading that says so. On the invitation page, with the invitation's token:
 * the sign-in at the provider accepts the invitation (the page has no email, so only `required`).
 */
export function SsoSignIn({ email, required = [], invitationToken }: { email: string; required?: Choice[]; invitationToken?: string | undefined }) {
  const t = useT();
  const providers = useProvidersForEmail(email);
  const start = useStartSso();
  const items = [...required, ...(providers.data?.items ?? []).filter((p) => !required.some((r) => r.id === p.id))];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="sso-heading" className="mt-4 border-t border-slate-300 pt-4">
      <h2 id="sso-heading" className="mb-2 text-sm font-semibold text-slate-900">{t(required.length > 0 ? 'ssoPolicy.requiredTitle' : 'sso.orSignInWith')}</h2>
      {start.error ? <Alert>{start.error instanceof ApiError ? problemText(t, start.error) : t('errors.unknown_error')}</Alert> : null}
      <ul className="grid gap-2">
        {items.map((p) => (
          <li key={p.id}>
            <Button tone="secondary" className="w-full" disabled={start.isPending} onClick={() => start.mutate({ providerId: p.id, invitationToken })}>
              {t('sso.signInWith', { name: p.name })}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
