'use client';
import { useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { useMembers, usePolicy, useSetPolicy, type PolicyBody } from '../hooks/use-admin';
import { ErrorLine } from './error-line';
import { PolicyStage, stageBody, type Stage } from './policy-stage';

type Late = NonNullable<PolicyBody['lateApproval']>;
const LATE_MODES = ['publish_now', 'hold', 'expire'] as const;

/** The policy in force is an open record on the wire: its fields are read here, checked. */
function policyOf(policy: Record<string, unknown>): { stages: Stage[]; allowSelfApproval: boolean; lateApproval: Late } {
  const raw = policy.stages;
  const stages = Array.isArray(raw) ? (raw.filter((s) => typeof s === 'object' && s !== null && typeof (s as Stage).name === 'string') as Stage[]) : [];
  const late = policy.lateApproval as Late | undefined;
  return { stages, allowSelfApproval: policy.allowSelfApproval === true, lateApproval: late && LATE_MODES.includes(late.mode) ? late : { mode: 'hold' } };
}

/**
 * The approval policy in force (own or inherited), every field edited in place: the stages in
 * order, whether authors may approve their own work, and what happens when approval comes late.
 */
export function PolicySection({ canManage }: { canManage: boolean }) {
  const t = useT();
  const policy = usePolicy();
  // Held here, not in the form: a save makes a new revision, which remounts the form with what
  // the server kept, and the confirmation must outlive that.
  const save = useSetPolicy();
  if (!policy.data) return null;
  return <PolicyForm key={String(policy.data.revision)} save={save} policy={policy.data.policy} own={policy.data.own} inherited={policy.data.inheritedFrom !== null} canManage={canManage} heading={t('settings.policyTitle')} />;
}

interface FormProps {
  save: ReturnType<typeof useSetPolicy>;
  policy: Record<string, unknown>;
  own: boolean;
  inherited: boolean;
  canManage: boolean;
  heading: string;
}

function PolicyForm({ save, policy, own, inherited, canManage, heading }: FormProps) {
  const t = useT();
  const members = useMembers();
  const [initial] = useState(() => policyOf(policy));
  const [stages, setStages] = useState<Stage[]>(initial.stages);
  const [allowSelfApproval, setSelf] = useState(initial.allowSelfApproval);
  const [late, setLate] = useState<Late>(initial.lateApproval);
  const active = (members.data ?? []).filter((m) => m.status === 'active');
  const submit = () => save.mutate({ stages: stages.map(stageBody), allowSelfApproval, lateApproval: late });
  return (
    <section aria-labelledby="policy-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="policy-heading" className="mb-1 text-lg font-semibold">{heading}</h2>
      <p className="mb-2 text-sm text-slate-800">{own ? t('settings.policyOwn') : inherited ? t('settings.policyInherited') : t('settings.policyDefault')}</p>
      {stages.length === 0 ? <p className="text-sm">{t('settings.noStages')}</p> : null}
      <ol className="space-y-3">
        {stages.map((s, i) => (
          <li key={i} className="rounded border border-slate-200 p-2">
            <PolicyStage
              stage={s}
              index={i}
              members={active}
              canManage={canManage}
              onChange={(change) => setStages(stages.map((x, j) => (j === i ? { ...x, ...change } : x)))}
              onRemove={() => setStages(stages.filter((_, j) => j !== i))}
            />
          </li>
        ))}
      </ol>
      <fieldset disabled={!canManage} className="mt-3 flex flex-wrap items-end gap-4">
        <label className="mb-3 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={allowSelfApproval} onChange={(e) => setSelf(e.target.checked)} />
          {t('settingsMore.selfApproval')}
        </label>
        <label className="mb-3 text-sm">
          {t('settingsMore.lateApproval')}
          <select className="mt-1 block rounded border border-slate-500 bg-white px-1 py-1" value={late.mode} onChange={(e) => setLate(e.target.value === 'expire' ? { mode: 'expire', afterDays: 7 } : { mode: e.target.value as 'hold' | 'publish_now' })}>
            {LATE_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`settingsMore.lateModes.${m}`)}
              </option>
            ))}
          </select>
        </label>
        {late.mode === 'expire' ? <TextField label={t('settingsMore.expireAfterDays')} type="number" min={1} max={365} value={String(late.afterDays)} onChange={(e) => setLate({ mode: 'expire', afterDays: Number(e.target.value) })} /> : null}
      </fieldset>
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
