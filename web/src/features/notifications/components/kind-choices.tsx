'use client';
import { useT } from '@/lib/i18n/i18n';
import { CHANNELS, type Channel, type NotificationKind, type Preferences } from '../notifications.keys';

export type Choices = Record<string, boolean>;
export const choiceKey = (kind: NotificationKind, channel: Channel) => `${kind}:${channel}`;

/**
 * One row per kind, one checkbox per channel. A kind the organisation made mandatory stays
 * checked and cannot be switched off, and says why; a channel the installation has not
 * configured is shown but cannot be chosen.
 */
export function KindChoices({ prefs, choices, onChange }: { prefs: Preferences; choices: Choices; onChange: (kind: NotificationKind, channel: Channel, on: boolean) => void }) {
  const t = useT();
  const configured = (c: Channel) => prefs.channels[c].configured;
  return (
    <table className="w-full text-left text-sm">
      <caption className="mb-2 text-left text-sm text-slate-700">{t('notificationSettings.choicesCaption')}</caption>
      <thead>
        <tr className="border-b border-slate-300">
          <th scope="col" className="py-2 pr-3">{t('notificationSettings.kind')}</th>
          {CHANNELS.map((c) => (
            <th key={c} scope="col" className="py-2 pr-3">
              {t(`notificationSettings.channel.${c}`)}
              {configured(c) ? null : <span className="block text-xs font-normal text-slate-700">{t('notificationSettings.notConfigured')}</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {prefs.kinds.map((k) => {
          const locked = CHANNELS.some((c) => k[c].mandatory);
          return (
            <tr key={k.kind} className="border-b border-slate-200 align-top">
              <th scope="row" className="py-2 pr-3 font-normal">
                {t(`notificationSettings.kinds.${k.kind}`)}
                {k.urgency === 'urgent' ? <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-950">{t('notificationSettings.urgent')}</span> : null}
                {locked ? <span className="block text-xs text-slate-700">{t('notificationSettings.mandatoryReason')}</span> : null}
              </th>
              {CHANNELS.map((c) => {
                const label = t('notificationSettings.choiceLabel', { kind: t(`notificationSettings.kinds.${k.kind}`), channel: t(`notificationSettings.channel.${c}`) });
                return (
                  <td key={c} className="py-2 pr-3">
                    <input
                      type="checkbox"
                      aria-label={k[c].mandatory ? `${label} (${t('notificationSettings.mandatory')})` : label}
                      checked={k[c].mandatory || (choices[choiceKey(k.kind, c)] ?? k[c].enabled)}
                      disabled={k[c].mandatory || !configured(c)}
                      onChange={(e) => onChange(k.kind, c, e.target.checked)}
                      className="h-4 w-4"
                    />
                    {k[c].mandatory ? <span className="ml-1 text-xs text-slate-700">{t('notificationSettings.mandatory')}</span> : null}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
