'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextArea, TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { useUpdateProvider, type IdentityProvider, type ProviderChanges } from '../hooks/use-sso';
import { Check, GRANTABLE, mappingText, parseMapping, SELECT, type Grantable } from './provider-fields';

/** PEM blocks in a pasted text (one or several certificates). */
function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Changes an own provider in place: domains, role mapping, JIT, and for SAML whether the IdP may
 * start a sign-in and a certificate rollover (the pasted certificates replace the list).
 */
export function EditProviderForm({ provider: p, onDone }: { provider: IdentityProvider; onDone: () => void }) {
  const t = useT();
  const update = useUpdateProvider(p.id);
  const [f, setF] = useState({
    domains: p.allowedDomains.join(', '),
    claim: p.roleMapping.claim ?? '',
    mapping: mappingText(p.roleMapping.values),
    defaultRole: (p.defaultRole ?? '') as Grantable | '',
    jitEnabled: p.jitEnabled,
    idpInitiated: p.saml?.idpInitiated ?? false,
    certificates: '',
  });
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF({ ...f, [k]: v });
  const id = `idp-edit-${p.id}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const certificates = pemBlocks(f.certificates);
    const body: ProviderChanges = {
      allowedDomains: f.domains.split(/[\s,]+/).filter(Boolean),
      roleMapping: f.claim ? { claim: f.claim, values: parseMapping(f.mapping) } : null,
      defaultRole: f.defaultRole || null,
      jitEnabled: f.jitEnabled,
      ...(p.kind === 'saml' ? { idpInitiated: f.idpInitiated } : {}),
      ...(p.kind === 'saml' && certificates.length ? { certificates } : {}),
    };
    update.mutate(body, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-heading`} className="mt-3 border-t border-slate-300 pt-3">
      <h4 id={`${id}-heading`} className="mb-2 font-semibold">{t('sso.editTitle', { name: p.name })}</h4>
      {update.error ? <Alert>{update.error instanceof ApiError ? problemText(t, update.error) : t('errors.unknown_error')}</Alert> : null}
      <TextField label={t('sso.domains')} value={f.domains} onChange={(e) => set('domains', e.target.value)} hint={t('sso.domainsHint')} />
      <TextField label={t('sso.mappingClaim')} value={f.claim} onChange={(e) => set('claim', e.target.value)} hint={t('sso.mappingClaimHint')} />
      {f.claim ? <TextArea label={t('sso.mappingValues')} value={f.mapping} onChange={(e) => set('mapping', e.target.value)} hint={t('sso.mappingValuesHint')} /> : null}
      <div className="mb-3">
        <label htmlFor={`${id}-role`} className="block text-sm font-medium text-slate-900">{t('sso.defaultRole')}</label>
        <select id={`${id}-role`} className={SELECT} value={f.defaultRole} onChange={(e) => set('defaultRole', e.target.value as Grantable | '')}>
          <option value="">{t('sso.noDefaultRole')}</option>
          {GRANTABLE.map((r) => (
            <option key={r} value={r}>{t(`connect.roles.${r}`)}</option>
          ))}
        </select>
      </div>
      <Check label={t('sso.jitLabel')} checked={f.jitEnabled} onChange={(v) => set('jitEnabled', v)} />
      {p.kind === 'saml' ? (
        <>
          <Check label={t('sso.idpInitiatedLabel')} checked={f.idpInitiated} onChange={(v) => set('idpInitiated', v)} />
          <TextArea label={t('sso.newCertificates')} value={f.certificates} onChange={(e) => set('certificates', e.target.value)} hint={t('sso.newCertificatesHint')} />
        </>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={update.isPending}>{t('sso.save')}</Button>
        <Button tone="secondary" onClick={onDone}>{t('settings.cancel')}</Button>
      </div>
    </form>
  );
}
