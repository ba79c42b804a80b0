'use client';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { useCreateOrganisation, useOrganisations, type Organisation } from '../hooks/use-admin';
import { ErrorLine } from './error-line';

const KINDS = ['ministry', 'division', 'mission', 'other'] as const;
const SELECT = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1.5';

/** This organisation and everything below it, as a nested list; a child can be added under any of them. */
export function OrganisationsSection() {
  const t = useT();
  const orgs = useOrganisations();
  const create = useCreateOrganisation();
  const items = orgs.data ?? [];
  const [form, setForm] = useState<{ name: string; kind: (typeof KINDS)[number]; parentId: string }>({ name: '', kind: 'mission', parentId: '' });
  const roots = items.filter((o) => !items.some((p) => p.id === o.parentId));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return;
    create.mutate({ name: form.name.trim(), kind: form.kind, ...(form.parentId ? { parentId: form.parentId } : {}) }, { onSuccess: () => setForm({ ...form, name: '' }) });
  };
  return (
    <section aria-labelledby="orgs-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="orgs-heading" className="mb-2 text-lg font-semibold">{t('settings.orgsTitle')}</h2>
      <Tree nodes={roots} all={items} />
      <ErrorLine error={create.error} />
      <form onSubmit={submit} className="mt-3 grid gap-2 sm:grid-cols-4" noValidate>
        <TextField label={t('settings.orgName')} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <label className="mb-3 text-sm font-medium text-slate-900">
          {t('settings.orgKind')}
          <select className={SELECT} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as (typeof KINDS)[number] })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`settings.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="mb-3 text-sm font-medium text-slate-900">
          {t('settings.orgParent')}
          <select className={SELECT} value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })}>
            <option value="">{t('settings.orgHere')}</option>
            {items.map((o) => (
              <option key={o.id} value={o.id}>
                {'— '.repeat(o.depth)}
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <div className="mt-6">
          <Button type="submit" disabled={create.isPending}>
            {t('settings.createOrg')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function Tree({ nodes, all }: { nodes: Organisation[]; all: Organisation[] }) {
  const t = useT();
  if (nodes.length === 0) return null;
  return (
    <ul className="ml-4 list-disc text-sm">
      {nodes.map((o) => (
        <li key={o.id}>
          {o.name} <span className="text-slate-700">({t(`settings.kinds.${o.kind}`)})</span>
          <Tree nodes={all.filter((c) => c.parentId === o.id)} all={all} />
        </li>
      ))}
    </ul>
  );
}
