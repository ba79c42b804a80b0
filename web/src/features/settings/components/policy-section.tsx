'use client';
import { useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { ROLES, usePolicy, useSetPolicy, type PolicyBody, type Role } from '../hooks/use-admin';
import { ErrorLine } from './error-line';

type Stage = PolicyBody['stages'][number];
const RULES = ['any', 'all', 'n_of_m'] as const;

/** The policy in force is an open record on the wire: its stages are read here, checked. */
function stagesOf(policy: Record<string, unknown> | undefined): Stage[] {
  const raw = policy?.stages;
  return Array.isArray(raw) ? (raw.filter((s) => typeof s === 'object' && s !== null && typeof (s as Stage).name === 'string') as Stage[]) : [];
}

/**
 * The approval stages in force (own or inherited), edited in place: name, who approves (roles)
 * and how many. Fields the editor does not show (named users, per-language, SLA) are kept.
 */
export function PolicySection({ canManage }: { canManage: boolean }) {
  const t = useT();
  const policy = usePolicy();
  if (!policy.data) return null;
  return <PolicyForm key={String(policy.data.revision)} policy={policy.data.policy} own={policy.data.own} inherited={policy.data.inheritedFrom !== null} canManage={canManage} heading={t('settings.policyTitle')} />;
}

function PolicyForm({ policy, own, inherited, canManage, heading }: { policy: Record<string, unknown>; own: boolean; inherited: boolean; canManage: boolean; heading: string }) {
  const t = useT();
  const save = useSetPolicy();
  const [stages, setStages] = useState<Stage[]>(() => stagesOf(policy));
  const edit = (i: number, change: Partial<Stage>) => setStages(stages.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const toggleRole = (i: number, role: Role) => {
    const roles = stages[i]?.approvers.roles ?? [];
    edit(i, { approvers: { ...stages[i]!.approvers, roles: roles.includes(role) ? roles.filter((r) => r !== role) : [...roles, role] } });
  };
  const submit = () => {
    const rest = Object.fromEntries(Object.entries(policy).filter(([k]) => k === 'allowSelfApproval' || k === 'lateApproval')) as Partial<PolicyBody>;
    save.mutate({ ...rest, stages: stages.map((s) => (s.rule === 'n_of_m' ? s : (({ n: _n, ...r }) => r)(s))) });
  };
  return (
    <section aria-labelledby="policy-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="policy-heading" className="mb-1 text-lg font-semibold">{heading}</h2>
      <p className="mb-2 text-sm text-slate-800">{own ? t('settings.policyOwn') : inherited ? t('settings.policyInherited') : t('settings.policyDefault')}</p>
      {stages.length === 0 ? <p className="text-sm">{t('settings.noStages')}</p> : null}
      <ol className="space-y-3">
        {stages.map((s, i) => (
          <li key={i} className="rounded border border-slate-200 p-2">
            <fieldset disabled={!canManage}>
              <legend className="text-sm font-medium">{t('settings.stageN', { n: i + 1 })}</legend>
              <TextField label={t('settings.stageName')} value={s.name} onChange={(e) => edit(i, { name: e.target.value })} />
              <fieldset className="mb-2">
                <legend className="text-sm">{t('settings.stageRoles')}</legend>
                <div className="flex flex-wrap gap-3">
                  {ROLES.map((r) => (
                    <label key={r} className="flex items-center gap-1 text-sm">
                      <input type="checkbox" checked={(s.approvers.roles ?? []).includes(r)} onChange={() => toggleRole(i, r)} />
                      {t(`settings.roles.${r}`)}
                    </label>
                  ))}
                </div>
              </fieldset>
              <div className="flex flex-wrap items-end gap-3">
                <label className="mb-3 text-sm">
                  {t('settings.stageRule')}
                  <select className="mt-1 block rounded border border-slate-500 bg-white px-1 py-1" value={s.rule} onChange={(e) => edit(i, { rule: e.target.value as Stage['rule'], ...(e.target.value === 'n_of_m' ? { n: s.n ?? 2 } : {}) })}>
                    {RULES.map((r) => (
                      <option key={r} value={r}>
                        {t(`settings.rules.${r}`)}
                      </option>
                    ))}
                  </select>
                </label>
                {s.rule === 'n_of_m' ? <TextField label={t('settings.stageN2')} type="number" min={1} max={50} value={String(s.n ?? 2)} onChange={(e) => edit(i, { n: Number(e.target.value) })} /> : null}
                {canManage ? (
                  <Button tone="secondary" className="mb-3" onClick={() => setStages(stages.filter((_, j) => j !== i))}>
                    {t('settings.removeStage', { n: i + 1 })}
                  </Button>
                ) : null}
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      {canManage ? (
        <div className="mt-3 flex gap-2">
          <Button tone="secondary" onClick={() => setStages([...stages, { name: t('settings.newStageName', { n: stages.length + 1 }), approvers: { roles: ['approver'], users: [] }, rule: 'any' }])}>
            {t('settings.addStage')}
          </Button>
          <Button onClick={submit} disabled={save.isPending}>
            {t('settings.savePolicy')}
          </Button>
        </div>
      ) : null}
      <ErrorLine error={save.error} />
      {save.isSuccess ? <p role="status" className="mt-2 text-sm text-emerald-900">{t('settings.policySaved')}</p> : null}
    </section>
  );
}
