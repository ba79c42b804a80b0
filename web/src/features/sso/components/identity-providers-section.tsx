'use client';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { problemText } from '@/features/shell/problem-text';
import { useIdentityProviders, useRemoveProvider, type IdentityProvider } from '../hooks/use-sso';
import { AddProviderForm } from './add-provider-form';
import { EditProviderForm } from './edit-provider-form';

/** Settings: the organisation's identity providers (own and inherited), and a form to add one. */
export function IdentityProvidersSection() {
  const t = useT();
  const list = useIdentityProviders();
  const remove = useRemoveProvider();
  const [editing, setEditing] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="idp-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="idp-heading" className="mb-2 text-lg font-semibold">{t('sso.title')}</h2>
      <p className="mb-3 text-sm text-slate-800">{t('sso.intro')}</p>
      {items.length === 0 && list.isSuccess ? <p className="mb-3 text-sm">{t('sso.none')}</p> : null}
      {remove.error ? <Alert>{remove.error instanceof ApiError ? problemText(t, remove.error) : t('errors.unknown_error')}</Alert> : null}
      <ul className="mb-4 grid gap-3">
        {items.map((p) => (
          <li key={p.id} className="rounded border border-slate-300 p-3 text-sm">
            <ProviderDetails provider={p} />
            {p.inherited ? (
              <p className="mt-1 text-slate-700">{t('sso.inherited')}</p>
            ) : editing === p.id ? (
              <EditProviderForm provider={p} onDone={() => setEditing(null)} />
            ) : (
              <div className="mt-2 flex gap-2">
                <Button tone="secondary" onClick={() => setEditing(p.id)}>{t('sso.edit')}</Button>
                <ConfirmDialog
                  trigger={<Button tone="secondary">{t('sso.remove')}</Button>}
                  title={t('sso.removeTitle', { name: p.name })}
                  description={t('sso.removeConfirm')}
                  confirm={t('sso.remove')}
                  cancel={t('settings.cancel')}
                  onConfirm={() => remove.mutate(p.id)}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      <AddProviderForm />
    </section>
  );
}

function ProviderDetails({ provider: p }: { provider: IdentityProvider }) {
  const t = useT();
  const row = (label: string, value: string) => (
    <div className="grid gap-1 sm:grid-cols-[12rem_1fr]">
      <dt className="font-medium text-slate-900">{label}</dt>
      <dd className="break-all text-slate-800">{value}</dd>
    </div>
  );
  return (
    <>
      <h3 className="font-semibold">
        {p.name} <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{p.kind === 'saml' ? t('sso.kindSaml') : t('sso.kindOidc')}</span>
      </h3>
      <dl className="mt-2 grid gap-1">
        {row(t('sso.domains'), p.allowedDomains.length ? p.allowedDomains.join(', ') : t('sso.anyDomain'))}
        {row(t('sso.jit'), p.jitEnabled ? t('sso.on') : t('sso.off'))}
        {p.roleMapping.claim ? row(t('sso.mappingClaim'), `${p.roleMapping.claim}: ${Object.entries(p.roleMapping.values ?? {}).map(([v, r]) => `${v} → ${r}`).join(', ')}`) : null}
        {p.defaultRole ? row(t('sso.defaultRole'), t(`connect.roles.${p.defaultRole}`)) : null}
        {p.kind === 'oidc' ? row(t('sso.issuer'), p.issuer ?? '') : null}
        {p.kind === 'oidc' ? row(t('sso.redirectUri'), p.redirectUri) : null}
        {p.saml ? row(t('sso.idpEntityId'), p.saml.entityId) : null}
        {p.saml ? row(t('sso.idpInitiated'), p.saml.idpInitiated ? t('sso.on') : t('sso.off')) : null}
        {p.saml ? row(t('sso.spMetadataUrl'), p.saml.metadataUrl) : null}
        {p.saml ? row(t('sso.acsUrl'), p.saml.acsUrl) : null}
      </dl>
    </>
  );
}
