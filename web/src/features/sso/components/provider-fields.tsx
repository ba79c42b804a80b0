import type { ReactNode } from 'react';

export const GRANTABLE = ['admin', 'approver', 'editor', 'analyst', 'viewer'] as const;
export type Grantable = (typeof GRANTABLE)[number];
export const SELECT = 'mt-1 block rounded border border-slate-500 bg-white px-2 py-1.5 focus-visible:outline-2 focus-visible:outline-indigo-700';

/** "press-office = editor" lines → { "press-office": "editor" }; lines naming no known role are left out. */
export function parseMapping(text: string): Record<string, Grantable> {
  const out: Record<string, Grantable> = {};
  for (const line of text.split('\n')) {
    const [value, role] = line.split('=').map((s) => s.trim());
    if (value && GRANTABLE.includes(role as Grantable)) out[value] = role as Grantable;
  }
  return out;
}

/** The mapping as the form shows it: one "value = role" per line. */
export function mappingText(values: Record<string, string> | undefined): string {
  return Object.entries(values ?? {}).map(([v, r]) => `${v} = ${r}`).join('\n');
}

export function Check({ label, checked, onChange }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="mb-3 flex items-center gap-2 text-sm text-slate-900">
      <input type="checkbox" className="focus-visible:outline-2 focus-visible:outline-indigo-700" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}
