'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api/errors';
import { browserZone, timeZones } from '@/lib/time/zones';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextArea, TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { Tab, TabList, TabPanel, Tabs } from '@/ui/tabs';
import { useMe } from '@/features/auth/hooks/use-me';
import { problemText } from '@/features/shell/problem-text';
import { useAutosave, type DraftRef } from '../hooks/use-autosave';
import { useComposeAndSubmit } from '../hooks/use-compose';
import { useLeaveGuard } from '../hooks/use-leave-guard';
import { useMessage } from '../hooks/use-messages';
import { CHANNELS, readContent, type Channel } from '../content';
import { forgetDraft, loadDraft, storeDraft, type StoredDraft } from '../draft-store';
import { directionOf, graphemes, languageName } from '../language';
import { messagesKeys } from '../messages.keys';
import { ChannelCounters } from './channel-counters';
import { MediaPicker } from '@/features/media/components/media-picker';
import { usePreviewMedia } from '@/features/media/hooks/use-preview-media';
import { NetworkPreviews, type PreviewMedia } from './network-previews';
import { PublishingProblems } from './publishing-problems';
import { SaveStatus } from './save-status';
import { TargetPicker } from './target-picker';

const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const BLANK: StoredDraft = { draft: { title: '', bodies: {}, channels: ['x'], schedule: null }, languages: ['en', 'hi'], ref: null };

/**
 * Where the composer starts: a server draft named by `?id=`, else what this device kept of the
 * last unsent message (a closed tab loses nothing), else a blank message.
 */
export function ComposerScreen() {
  const { t } = useI18n();
  const id = useSearchParams().get('id');
  const userId = useMe().data?.user.id;
  const existing = useMessage(id);
  const start = useMemo((): { initial: StoredDraft; restored: boolean } | undefined => {
    if (!userId) return undefined;
    if (!id) {
      const kept = loadDraft(userId);
      return kept ? { initial: kept, restored: true } : { initial: BLANK, restored: false };
    }
    const m = existing.data;
    if (!m) return undefined;
    const kept = loadDraft(userId);
    // This device has newer text for this very draft (typed, not yet saved): keep that.
    if (kept?.ref?.id === m.id && kept.ref.revision === m.revision) return { initial: kept, restored: true };
    const { bodies, channels, targets, media } = readContent(m.content);
    const languages = [...new Set([...bodies.map(([tag]) => tag), 'en', 'hi'])];
    return {
      initial: { draft: { title: m.title, bodies: Object.fromEntries(bodies), channels, targets, media, schedule: m.schedule ? { local: m.schedule.local, zone: m.schedule.zone } : null }, languages, ref: { id: m.id, revision: m.revision } },
      restored: false,
    };
  }, [userId, id, existing.data]);
  if (existing.isError) return <Alert>{t('errors.message_not_found')}</Alert>;
  if (!start || !userId) return <p role="status">{t('shell.loading')}</p>;
  return <ComposerForm key={start.initial.ref?.id ?? 'new'} userId={userId} initial={start.initial} restored={start.restored} />;
}

/** A message in several languages, one tab each, each edited with its own lang and direction. */
function ComposerForm({ userId, initial, restored }: { userId: string; initial: StoredDraft; restored: boolean }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const compose = useComposeAndSubmit();
  const [title, setTitle] = useState(initial.draft.title);
  const [languages, setLanguages] = useState(initial.languages);
  const [bodies, setBodies] = useState<Record<string, string>>(initial.draft.bodies);
  const [channels, setChannels] = useState<Channel[]>(initial.draft.channels);
  const [targets, setTargets] = useState<string[]>(initial.draft.targets ?? []);
  const [media, setMedia] = useState<string[]>(initial.draft.media ?? []);
  const [newLanguage, setNewLanguage] = useState('');
  const [when, setWhen] = useState(initial.draft.schedule?.local.slice(0, 16) ?? '');
  const [zone, setZone] = useState(initial.draft.schedule?.zone ?? browserZone());
  const [attempted, setAttempted] = useState(false);
  const [showRestored, setShowRestored] = useState(restored);
  const zones = useMemo(() => timeZones(), []);

  const draft = useMemo(() => ({ title, bodies, channels, targets, media, schedule: when ? { local: when, zone } : null }), [title, bodies, channels, targets, media, when, zone]);
  const [ref, setRef] = useState<DraftRef | null>(initial.ref);
  const onSaved = useCallback((r: DraftRef) => setRef(r), []);
  const autosave = useAutosave(draft, initial.ref, onSaved);
  // The server's own per-network verdict on what was last saved, re-read after every save.
  const qc = useQueryClient();
  const saved = useMessage(ref?.id ?? null);
  useEffect(() => {
    if (ref) void qc.invalidateQueries({ queryKey: messagesKeys.one(ref.id) });
  }, [qc, ref]);
  // Every change is on this device at once; the server copy follows within two seconds.
  useEffect(() => storeDraft(userId, { draft, languages, ref }), [userId, draft, languages, ref]);
  useLeaveGuard(autosave.dirty && !compose.isSuccess, t('composer.leaveConfirm'));

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
      { draft, submit, saveNow: autosave.flush },
      {
        onSuccess: (m) => {
          // The server has it now; reopened through the message's Edit link.
          forgetDraft(userId);
          router.push(`/messages/view/?id=${m.id}`);
        },
      },
    );
  };
  const startAfresh = () => {
    forgetDraft(userId);
    window.location.assign('/messages/new/');
  };

  return (
    <>
      <PageHeading>{t(initial.ref ? 'composer.editTitle' : 'composer.title')}</PageHeading>
      {showRestored ? (
        <Alert tone="info">
          {t('composer.restored')}{' '}
          <Button tone="secondary" onClick={startAfresh}>
            {t('composer.startAfresh')}
          </Button>{' '}
          <Button tone="secondary" onClick={() => setShowRestored(false)}>
            {t('composer.dismiss')}
          </Button>
        </Alert>
      ) : null}
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
              <ChannelCounters text={bodies[tag] ?? ''} channels={channels} />
              <LanguagePreviews text={bodies[tag] ?? ''} lang={tag} channels={channels} media={media} />
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
        <MediaPicker value={media} onChange={setMedia} />
        <TargetPicker value={targets} onChange={setTargets} />
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
        <PublishingProblems problems={saved.data?.revision === ref?.revision ? saved.data?.publishing : undefined} />
        <SaveStatus state={autosave.state} savedAt={autosave.savedAt} error={autosave.error} saveable={Boolean(title.trim()) && Object.values(bodies).some((b) => b.trim() !== '')} />
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

function LanguagePreviews({ text, lang, channels, media }: { text: string; lang: string; channels: Channel[]; media: string[] }) {
  const shown: PreviewMedia[] = usePreviewMedia(media, lang);
  return <NetworkPreviews text={text} lang={lang} channels={channels} media={shown} />;
}
