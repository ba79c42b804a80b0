'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextArea, TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { useAddOidcProvider, useAddSamlProvider, type NewOidcProvider } from '../hooks/use-sso';
import { Check, GRANTABLE, parseMapping, SELECT, type Grantable } from './provider-fields';

const EMPTY = {
  kind: 'saml' as 'saml' | 'oidc',
  name: '',
  issuer: '',
  clientId: '',
  clientSecret: '',
  metadataXml: '',
  entityId: '',
  ssoUrl: '',
  certificate: '',
  domains: '',
  claim: '',
  mapping: '',
  defaultRole: '' as Grantable | '',
  jitEnabled: false,
  idpInitiated: false,
};

export function AddProviderForm() {
  const t = useT();
  const oidc = useAddOidcProvider();
  const saml = useAddSamlProvider();
  const [f, setF] = useState(EMPTY);
  const set = <K extends keyof typeof EMPTY>(k: K, v: (typeof EMPTY)[K]) => setF({ ...f, [k]: v });
  const error = (f.kind === 'saml' ? saml.error : oidc.error) ?? null;
  const pending = oidc.isPending || saml.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const common = {
      name: f.name,
      allowedDomains: f.domains.split(/[\s,]+/).filter(Boolean),
      jitEnabled: f.jitEnabled,
      ...(f.claim ? { roleMapping: { claim: f.claim, values: parseMapping(f.mapping) } } : {}),
      ...(f.defaultRole ? { defaultRole: f.defaultRole } : {}),
    };
    const done = { onSuccess: () => setF({ ...EMPTY, kind: f.kind }) };
    if (f.kind === 'oidc') {
      const body: NewOidcProvider = { ...common, issuer: f.issuer, clientId: f.clientId, clientSecret: f.clientSecret };
      oidc.mutate(body, done);
    } else if (f.metadataXml.trim()) {
      saml.mutate({ ...common, metadataXml: f.metadataXml, idpInitiated: f.idpInitiated }, done);
    } else {
      saml.mutate({ ...common, entityId: f.entityId, ssoUrl: f.ssoUrl, certificates: [f.certificate], idpInitiated: f.idpInitiated }, done);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="idp-add-heading">
      <h3 id="idp-add-heading" className="mb-2 font-semibold">{t('sso.addTitle')}</h3>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      <div className="mb-3">
        <label htmlFor="idp-kind" className="block text-sm font-medium text-slate-900">{t('sso.kind')}</label>
        <select id="idp-kind" className={SELECT} value={f.kind} onChange={(e) => set('kind', e.target.value as 'saml' | 'oidc')}>
          <option value="saml">{t('sso.kindSaml')}</option>
          <option value="oidc">{t('sso.kindOidc')}</option>
        </select>
      </div>
      <TextField label={t('sso.name')} value={f.name} onChange={(e) => set('name', e.target.value)} />
      {f.kind === 'oidc' ? (
        <>
          <TextField label={t('sso.issuer')} type="url" value={f.issuer} onChange={(e) => set('issuer', e.target.value)} hint={t('sso.issuerHint')} />
          <TextField label={t('sso.clientId')} value={f.clientId} onChange={(e) => set('clientId', e.target.value)} />
          <TextField label={t('sso.clientSecret')} type="password" autoComplete="off" value={f.clientSecret} onChange={(e) => set('clientSecret', e.target.value)} hint={t('sso.clientSecretHint')} />
        </>
      ) : (
        <>
          <TextArea label={t('sso.metadataXml')} value={f.metadataXml} onChange={(e) => set('metadataXml', e.target.value)} hint={t('sso.metadataHint')} />
          {f.metadataXml.trim() ? null : (
            <>
              <TextField label={t('sso.idpEntityId')} value={f.entityId} onChange={(e) => set('entityId', e.target.value)} />
              <TextField label={t('sso.ssoUrl')} type="url" value={f.ssoUrl} onChange={(e) => set('ssoUrl', e.target.value)} />
              <TextArea label={t('sso.certificate')} value={f.certificate} onChange={(e) => set('certificate', e.target.value)} hint={t('sso.certificateHint')} />
            </>
          )}
          <Check label={t('sso.idpInitiatedLabel')} checked={f.idpInitiated} onChange={(v) => set('idpInitiated', v)} />
        </>
      )}
      <TextField label={t('sso.domains')} value={f.domains} onChange={(e) => set('domains', e.target.value)} hint={t('sso.domainsHint')} />
      <TextField label={t('sso.mappingClaim')} value={f.claim} onChange={(e) => set('claim', e.target.value)} hint={t('sso.mappingClaimHint')} />
      {f.claim ? <TextArea label={t('sso.mappingValues')} value={f.mapping} onChange={(e) => set('mapping', e.target.value)} hint={t('sso.mappingValuesHint')} /> : null}
      <div className="mb-3">
        <label htmlFor="idp-default-role" className="block text-sm font-medium text-slate-900">{t('sso.defaultRole')}</label>
        <select id="idp-default-role" className={SELECT} value={f.defaultRole} onChange={(e) => set('defaultRole', e.target.value as Grantable | '')}>
          <option value="">{t('sso.noDefaultRole')}</option>
          {GRANTABLE.map((r) => (
            <option key={r} value={r}>{t(`connect.roles.${r}`)}</option>
          ))}
        </select>
      </div>
      <Check label={t('sso.jitLabel')} checked={f.jitEnabled} onChange={(v) => set('jitEnabled', v)} />
      <Button type="submit" disabled={pending}>{t('sso.add')}</Button>
    </form>
  );
}
