'use client';
import { useI18n } from '@/lib/i18n/i18n';
import { useChannels } from '@/features/channels/hooks/use-channels';
import type { ChannelView, Network } from '@/features/channels/channels.keys';

/**
 * The connected accounts a message goes to (`content.targets`), grouped by network. Only usable
 * (active) accounts are offered; one already chosen that stopped working stays listed so it can
 * be unticked, and submit refuses it with the server's reason.
 */
export function TargetPicker({ value, onChange }: { value: string[]; onChange: (next: string[]) => void }) {
  const { t } = useI18n();
  const channels = useChannels();
  const items = (channels.data?.items ?? []).filter((c) => c.status === 'active' || value.includes(c.id));
  const groups = new Map<Network, ChannelView[]>();
  for (const c of items) groups.set(c.network, [...(groups.get(c.network) ?? []), c]);
  return (
    <fieldset className="mb-4" aria-describedby="targets-hint">
      <legend className="text-sm font-medium text-slate-900">{t('composer.targets')}</legend>
      <p id="targets-hint" className="text-xs text-slate-700">{t('composer.targetsHint')}</p>
      {channels.data && items.length === 0 ? <p className="mt-1 text-sm">{t('composer.noTargets')}</p> : null}
      <div className="mt-1 grid gap-3 sm:grid-cols-2">
        {[...groups].map(([network, list]) => (
          <div key={network} role="group" aria-labelledby={`targets-${network}`}>
            <p id={`targets-${network}`} className="text-sm font-semibold">{t(`channels.${network}`)}</p>
            {list.map((c) => (
              <label key={c.id} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  className="focus-visible:outline-2 focus-visible:outline-indigo-700"
                  checked={value.includes(c.id)}
                  onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((v) => v !== c.id))}
                />
                <span>{c.sandbox ? t('composer.targetSandbox', { name: c.displayName }) : c.displayName}</span>
                {c.handle ? <span className="text-slate-700">{c.handle}</span> : null}
              </label>
            ))}
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The chosen accounts by name, for the message detail; an id is shown when the account is gone. */
export function TargetNames({ ids }: { ids: string[] }) {
  const { t } = useI18n();
  const channels = useChannels();
  if (ids.length === 0) return <>—</>;
  const byId = new Map((channels.data?.items ?? []).map((c) => [c.id, c]));
  return (
    <ul>
      {ids.map((id) => {
        const c = byId.get(id);
        return <li key={id}>{c ? `${t(`channels.${c.network}`)}: ${c.sandbox ? t('composer.targetSandbox', { name: c.displayName }) : c.displayName}` : id}</li>;
      })}
    </ul>
  );
}
