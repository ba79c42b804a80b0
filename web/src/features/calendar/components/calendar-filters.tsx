'use client';
import { useT } from '@/lib/i18n/i18n';
import { CHANNELS } from '@/features/messages/content';
import { useCampaigns } from '../hooks/use-calendar';

export interface Filters {
  status: string;
  channel: string;
  campaignId: string;
}

const STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'publishing', 'published', 'partially_published', 'failed', 'withdrawn'] as const;
const SELECT = 'mt-1 block rounded border border-slate-500 bg-white px-1 py-0.5';

export function CalendarFilters({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const t = useT();
  const campaigns = useCampaigns();
  return (
    <div className="mb-3 flex flex-wrap gap-3 text-sm" role="group" aria-label={t('calendar.filters')}>
      <label>
        {t('calendar.status')}
        <select className={SELECT} value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value })}>
          <option value="">{t('calendar.any')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('calendar.network')}
        <select className={SELECT} value={value.channel} onChange={(e) => onChange({ ...value, channel: e.target.value })}>
          <option value="">{t('calendar.any')}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channels.${c}`)}
            </option>
          ))}
        </select>
      </label>
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
    </div>
  );
}
