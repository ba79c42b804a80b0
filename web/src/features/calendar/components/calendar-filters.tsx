'use client';
import { useT } from '@/lib/i18n/i18n';
import { CHANNELS } from '@/features/messages/content';
import { useOrganisations } from '@/features/settings/hooks/use-admin';
import { useCampaigns } from '../hooks/use-calendar';
import { ChoiceGroup } from './choice-group';

export interface Filters {
  statuses: string[];
  channels: string[];
  orgIds: string[];
  campaignId: string;
}

export const NO_FILTERS: Filters = { statuses: [], channels: [], orgIds: [], campaignId: '' };

const STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'publishing', 'published', 'partially_published', 'failed', 'withdrawn'] as const;
const SELECT = 'mt-1 block rounded border border-slate-500 bg-white px-1 py-0.5';

/** Several statuses, networks and organisations at once (a message matching any one of each shows). */
export function CalendarFilters({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const t = useT();
  const campaigns = useCampaigns();
  const organisations = useOrganisations();
  const any = value.statuses.length + value.channels.length + value.orgIds.length > 0 || value.campaignId !== '';
  return (
    <div className="mb-3 flex flex-wrap items-start gap-3 text-sm" role="group" aria-label={t('calendar.filters')}>
      <ChoiceGroup label={t('calendar.status')} chosen={value.statuses} onChange={(statuses) => onChange({ ...value, statuses })} options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
      <ChoiceGroup label={t('calendar.network')} chosen={value.channels} onChange={(channels) => onChange({ ...value, channels })} options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />
      {/* Only those who may read the organisation tree get this filter; the calendar itself is already limited to theirs. */}
      {organisations.data && organisations.data.length > 1 ? (
        <ChoiceGroup label={t('calendarMore.organisations')} chosen={value.orgIds} onChange={(orgIds) => onChange({ ...value, orgIds })} options={organisations.data.map((o) => ({ value: o.id, label: o.name }))} />
      ) : null}
      <label>
        {t('calendar.campaign')}
        <select className={SELECT} value={value.campaignId} onChange={(e) => onChange({ ...value, campaignId: e.target.value })}>
          <option value="">{t('calendar.any')}</option>
          {(campaigns.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {any ? (
        <button type="button" className="self-end rounded px-1 py-0.5 text-indigo-800 underline focus-visible:outline-2 focus-visible:outline-indigo-700" onClick={() => onChange(NO_FILTERS)}>
          {t('calendarMore.clearFilters')}
        </button>
      ) : null}
    </div>
  );
}
