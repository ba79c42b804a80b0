'use client';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { ConfirmDialog } from '@/ui/confirm-dialog';
import { TextField } from '@/ui/field';
import { useMembers, useResetFactors, useSetSignInPolicy, useSignInPolicy } from '../hooks/use-sign-in-admin';
import { FactorError } from './error-text';
import { useStepUpGuard } from './step-up';

const RULES = ['nobody', 'publishers', 'everyone'] as const;
type Rule = (typeof RULES)[number];

/** What this organisation requires of its subtree at sign-in; a stricter rule above still holds. */
export function SignInPolicySection() {
  const t = useT();
  const policy = useSignInPolicy().data;
  const set = useSetSignInPolicy(useStepUpGuard());
  const [rule, setRule] = useState<Rule | undefined>(undefined);
  const [ssoRule, setSsoRule] = useState<Rule | undefined>(undefined);
  const [minutes, setMinutes] = useState<string | undefined>(undefined);
  const current = rule ?? policy?.own?.mfaRequiredFor ?? 'nobody';
  const currentSso = ssoRule ?? policy?.own?.ssoRequiredFor ?? 'nobody';
  const currentMinutes = minutes ?? String(policy?.own?.stepUpMinutes ?? 10);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ mfaRequiredFor: current, ssoRequiredFor: currentSso, stepUpMinutes: Number(currentMinutes) || 10 });
  };
  return (
    <section aria-labelledby="sign-in-policy-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="sign-in-policy-heading" className="mb-2 text-lg font-semibold">{t('security.policyTitle')}</h2>
      {policy ? <p className="mb-2 text-sm">{t('security.policyEffective', { rule: t(`security.rule.${policy.effective.mfaRequiredFor}`) })}</p> : null}
      {policy ? <p className="mb-2 text-sm">{t('ssoPolicy.effective', { rule: t(`security.rule.${policy.effective.ssoRequiredFor}`) })}</p> : null}
      <FactorError error={set.error} />
      {set.isSuccess ? <Alert tone="info">{t('security.policySaved')}</Alert> : null}
      <form onSubmit={submit} noValidate>
        <fieldset className="mb-3">
          <legend className="text-sm font-medium">{t('security.policyRequire')}</legend>
          {RULES.map((r) => (
            <label key={r} className="mr-4 inline-flex items-center gap-1 text-sm">
              <input type="radio" name="mfa-rule" value={r} checked={current === r} onChange={() => setRule(r)} />
              {t(`security.rule.${r}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="mb-3">
          <legend className="text-sm font-medium">{t('ssoPolicy.require')}</legend>
          {RULES.map((r) => (
            <label key={r} className="mr-4 inline-flex items-center gap-1 text-sm">
              <input type="radio" name="sso-rule" value={r} checked={currentSso === r} onChange={() => setSsoRule(r)} />
              {t(`security.rule.${r}`)}
            </label>
          ))}
        </fieldset>
        <TextField label={t('security.policyMinutes')} type="number" min={1} max={1440} value={currentMinutes} onChange={(e) => setMinutes(e.target.value)} />
        <Button type="submit" disabled={set.isPending}>
          {t('security.policySave')}
        </Button>
      </form>
    </section>
  );
}

/** Members, with a reset of their second factors for one who lost theirs. */
export function MembersFactorsSection({ selfId }: { selfId: string }) {
  const t = useT();
  const members = useMembers(true).data?.items ?? [];
  const reset = useResetFactors(useStepUpGuard());
  const [done, setDone] = useState<string | undefined>(undefined);
  return (
    <section aria-labelledby="members-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="members-heading" className="mb-2 text-lg font-semibold">{t('security.membersTitle')}</h2>
      <FactorError error={reset.error} />
      {done ? <Alert tone="info">{t('security.resetDone', { name: done })}</Alert> : null}
      <ul className="divide-y divide-slate-200">
        {members.map((m) => (
          <li key={m.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
            <span className="font-medium">{m.displayName}</span>
            <span className="text-slate-700">{m.email}</span>
            {m.id === selfId ? null : (
              <span className="ml-auto">
                <ConfirmDialog
                  trigger={<Button tone="secondary" aria-label={t('security.resetOf', { name: m.displayName })}>{t('security.reset')}</Button>}
                  title={t('security.resetTitle', { name: m.displayName })}
                  description={t('security.resetConfirm')}
                  confirm={t('security.reset')}
                  cancel={t('settings.cancel')}
                  onConfirm={() => reset.mutate(m.id, { onSuccess: () => setDone(m.displayName) })}
                />
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
