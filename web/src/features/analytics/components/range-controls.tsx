'use client';
import { useId, useMemo } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { timeZones } from '@/lib/time/zones';
import { RANGE_DAYS, type RangeDays } from '../analytics.keys';

const SELECT = 'mt-1 block rounded border border-slate-500 bg-white px-2 py-1.5 text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-700';

/** The period and the zone its days (or hours) are cut in; both plain selects, keyboard first. */
export function RangeControls({ days, zone, onDays, onZone }: { days: RangeDays; zone: string; onDays: (d: RangeDays) => void; onZone: (z: string) => void }) {
  const t = useT();
  const id = useId();
  const zones = useMemo(() => timeZones(), []);
  return (
    <div className="mb-4 flex flex-wrap items-end gap-4">
      <div>
        <label htmlFor={`${id}-days`} className="block text-sm font-medium text-slate-900">{t('analytics.range')}</label>
        <select id={`${id}-days`} className={SELECT} value={days} onChange={(e) => onDays(Number(e.target.value) as RangeDays)}>
          {RANGE_DAYS.map((d) => (
            <option key={d} value={d}>{t('analytics.lastDays', { count: d })}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-zone`} className="block text-sm font-medium text-slate-900">{t('analytics.zone')}</label>
        <select id={`${id}-zone`} className={SELECT} value={zone} onChange={(e) => onZone(e.target.value)}>
          {zones.map((z) => (
            <option key={z} value={z}>{z}</option>
          ))}
        </select>
      </div>
    </div>
  );
}
