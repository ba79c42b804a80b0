'use client';
import { useId } from 'react';
import { useT } from '@/lib/i18n/i18n';

/**
 * Several values of one filter, as checkboxes in a disclosure: a native `details`, so it opens
 * with the keyboard and screen readers announce it without any script of ours. The summary says
 * what is chosen ("Any", one name, or how many).
 */
export function ChoiceGroup({ label, options, chosen, onChange }: { label: string; options: { value: string; label: string }[]; chosen: string[]; onChange: (chosen: string[]) => void }) {
  const t = useT();
  const id = useId();
  const names = options.filter((o) => chosen.includes(o.value)).map((o) => o.label);
  const summary = names.length === 0 ? t('calendar.any') : names.length === 1 ? names[0]! : t('calendarMore.chosen', { count: names.length });
  const toggle = (v: string) => onChange(chosen.includes(v) ? chosen.filter((c) => c !== v) : [...chosen, v]);
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded focus-visible:outline-2 focus-visible:outline-indigo-700">
        <span id={`${id}-label`}>{label}</span>
        <span className="mt-1 block min-w-28 rounded border border-slate-500 bg-white px-1 py-0.5">{summary} ▾</span>
      </summary>
      <fieldset aria-labelledby={`${id}-label`} className="absolute z-10 mt-1 max-h-64 min-w-48 overflow-y-auto rounded border border-slate-400 bg-white p-2 shadow">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 py-0.5">
            <input type="checkbox" checked={chosen.includes(o.value)} onChange={() => toggle(o.value)} />
            {o.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
