'use client';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { browserZone, timeZones } from '@/lib/time/zones';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextArea, TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { Tab, TabList, TabPanel, Tabs } from '@/ui/tabs';
import { problemText } from '@/features/shell/problem-text';
import { useComposeAndSubmit } from '../hooks/use-compose';
import { CHANNELS, type Channel } from '../content';
import { directionOf, graphemes, languageName } from '../language';

const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** A message in several languages, one tab each, each edited with its own lang and direction. */
export function ComposerScreen() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const compose = useComposeAndSubmit();
  const [title, setTitle] = useState('');
  const [languages, setLanguages] = useState(['en', 'hi']);
  const [bodies, setBodies] = useState<Record<string, string>>({});
  const [channels, setChannels] = useState<Channel[]>(['x']);
  const [newLanguage, setNewLanguage] = useState('');
  const [when, setWhen] = useState('');
  const [zone, setZone] = useState(browserZone);
  const [attempted, setAttempted] = useState(false);
  const zones = useMemo(() => timeZones(), []);

  const titleError = attempted && !title.trim() ? t('composer.titleRequired') : undefined;
  const bodyMissing = attempted && Object.values(bodies).every((b) => !b.trim());

  const addLanguage = () => {
    const tag = newLanguage.trim();
    if (BCP47.test(tag) && !languages.includes(tag)) setLanguages([...languages, tag]);
    setNewLanguage('');
  };
  const send = (submit: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    setAttempted(true);
    if (!title.trim() || Object.values(bodies).every((b) => !b.trim())) return;
    compose.mutate(
      { draft: { title, bodies, channels, schedule: when ? { local: when, zone } : null }, submit },
      { onSuccess: (m) => router.push(`/messages/view/?id=${m.id}`) },
    );
  };

  return (
    <>
      <PageHeading>{t('composer.title')}</PageHeading>
      {compose.error ? <Alert>{compose.error instanceof ApiError ? problemText(t, compose.error) : t('errors.unknown_error')}</Alert> : null}
      <form onSubmit={send(true)} noValidate>
        <TextField label={t('composer.workingTitle')} hint={t('composer.workingTitleHint')} value={title} onChange={(e) => setTitle(e.target.value)} error={titleError} required />
        <Tabs defaultValue="en">
          <TabList label={t('composer.languages')}>
            {languages.map((tag) => (
              <Tab key={tag} value={tag}>
                {languageName(tag, locale)}
              </Tab>
            ))}
          </TabList>
          {languages.map((tag) => (
            <TabPanel key={tag} value={tag} className="pt-3">
              <TextArea
                label={t('composer.bodyIn', { language: languageName(tag, locale) })}
                lang={tag}
                dir={directionOf(tag)}
                value={bodies[tag] ?? ''}
                onChange={(e) => setBodies({ ...bodies, [tag]: e.target.value })}
                hint={t('composer.characters', { count: graphemes(bodies[tag] ?? '') })}
                error={bodyMissing ? t('composer.bodyRequired') : undefined}
              />
            </TabPanel>
          ))}
        </Tabs>
        <div className="mb-4 flex items-end gap-2">
          <TextField label={t('composer.addLanguage')} hint={t('composer.addLanguageHint')} value={newLanguage} onChange={(e) => setNewLanguage(e.target.value)} />
          <Button tone="secondary" className="mb-3" onClick={addLanguage}>
            {t('composer.add')}
          </Button>
        </div>
        <fieldset className="mb-4">
          <legend className="text-sm font-medium text-slate-900">{t('composer.channels')}</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {CHANNELS.map((ch) => (
              <label key={ch} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={channels.includes(ch)} onChange={(e) => setChannels(e.target.checked ? [...channels, ch] : channels.filter((c) => c !== ch))} />
                {t(`channels.${ch}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="mb-4 grid gap-3 sm:grid-cols-2">
          <legend className="text-sm font-medium text-slate-900">{t('composer.schedule')}</legend>
          <TextField label={t('composer.when')} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} hint={t('composer.whenHint')} />
          <div className="mb-3">
            <label htmlFor="zone" className="block text-sm font-medium text-slate-900">
              {t('composer.zone')}
            </label>
            <select id="zone" className="mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1.5" value={zone} onChange={(e) => setZone(e.target.value)}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <div className="flex gap-2">
          <Button type="submit" disabled={compose.isPending}>
            {t('composer.submit')}
          </Button>
          <Button tone="secondary" disabled={compose.isPending} onClick={() => send(false)()}>
            {t('composer.saveDraft')}
          </Button>
        </div>
      </form>
    </>
  );
}
