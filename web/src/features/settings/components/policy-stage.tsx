'use client';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { ROLES, type Member, type PolicyBody, type Role } from '../hooks/use-admin';

export type Stage = PolicyBody['stages'][number];
const RULES = ['any', 'all', 'n_of_m'] as const;
const SELECT = 'mt-1 block rounded border border-slate-500 bg-white px-1 py-1';
type LanguageMode = 'none' | 'each' | 'listed';

const modeOf = (s: Stage): LanguageMode => (s.perLanguage === undefined ? 'none' : s.perLanguage === 'each' ? 'each' : 'listed');
const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

/**
 * One approval stage, every field the policy takes: its name, who approves (roles and named
 * people), how many of them, whether each language needs its own sign-off, and when it escalates.
 */
export function PolicyStage({ stage: s, index, members, canManage, onChange, onRemove }: { stage: Stage; index: number; members: Member[]; canManage: boolean; onChange: (change: Partial<Stage>) => void; onRemove: () => void }) {
  const t = useT();
  const users = s.approvers.users ?? [];
  const setLanguages = (mode: LanguageMode, listed = Array.isArray(s.perLanguage) ? s.perLanguage : []) => {
    const { perLanguage: _drop, ...rest } = s;
    onChange(mode === 'none' ? { ...rest, perLanguage: undefined } : { perLanguage: mode === 'each' ? 'each' : listed });
  };
  return (
    <fieldset disabled={!canManage}>
      <legend className="text-sm font-medium">{t('settings.stageN', { n: index + 1 })}</legend>
      <TextField label={t('settings.stageName')} value={s.name} onChange={(e) => onChange({ name: e.target.value })} />
      <fieldset className="mb-2">
        <legend className="text-sm">{t('settings.stageRoles')}</legend>
        <div className="flex flex-wrap gap-3">
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-1 text-sm">
              <input type="checkbox" checked={(s.approvers.roles ?? []).includes(r)} onChange={() => onChange({ approvers: { ...s.approvers, roles: toggle<Role>(s.approvers.roles ?? [], r) } })} />
              {t(`settings.roles.${r}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {members.length > 0 ? (
        <fieldset className="mb-2">
          <legend className="text-sm">{t('settingsMore.stageUsers')}</legend>
          <div className="flex flex-wrap gap-3">
            {members.map((m) => (
              <label key={m.id} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={users.includes(m.id)} onChange={() => onChange({ approvers: { ...s.approvers, users: toggle(users, m.id) } })} />
                {m.displayName}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <label className="mb-3 text-sm">
          {t('settings.stageRule')}
          <select className={SELECT} value={s.rule} onChange={(e) => onChange(e.target.value === 'n_of_m' ? { rule: 'n_of_m', n: s.n ?? 2 } : { rule: e.target.value as Stage['rule'], n: undefined })}>
            {RULES.map((r) => (
              <option key={r} value={r}>
                {t(`settings.rules.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {s.rule === 'n_of_m' ? <TextField label={t('settings.stageN2')} type="number" min={1} max={50} value={String(s.n ?? 2)} onChange={(e) => onChange({ n: Number(e.target.value) })} /> : null}
        <label className="mb-3 text-sm">
          {t('settingsMore.perLanguage')}
          <select className={SELECT} value={modeOf(s)} onChange={(e) => setLanguages(e.target.value as LanguageMode)}>
            {(['none', 'each', 'listed'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`settingsMore.perLanguageModes.${m}`)}
              </option>
            ))}
          </select>
        </label>
        {Array.isArray(s.perLanguage) ? (
          <TextField
            label={t('settingsMore.languagesListed')}
            defaultValue={s.perLanguage.join(', ')}
            onChange={(e) => setLanguages('listed', e.target.value.split(',').map((l) => l.trim()).filter(Boolean))}
          />
        ) : null}
        <TextField
          label={t('settingsMore.slaHours')}
          type="number"
          min={1}
          max={720}
          value={s.slaHours === undefined ? '' : String(s.slaHours)}
          onChange={(e) => onChange({ slaHours: e.target.value === '' ? undefined : Number(e.target.value) })}
        />
        {canManage ? (
          <Button tone="secondary" className="mb-3" onClick={onRemove}>
            {t('settings.removeStage', { n: index + 1 })}
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}

/** What the server takes: fields left unset are left out (a stage with `n` but no n_of_m rule is refused). */
export function stageBody(s: Stage): Stage {
  return Object.fromEntries(Object.entries(s).filter(([k, v]) => v !== undefined && !(k === 'n' && s.rule !== 'n_of_m'))) as Stage;
}
