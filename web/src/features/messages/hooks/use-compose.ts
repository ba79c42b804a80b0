'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { ApiError, unwrap } from '@/lib/api/errors';
import type { Channel } from '../content';
import { messagesKeys } from '../messages.keys';
import type { DraftRef } from './use-autosave';

export interface Draft {
  title: string;
  bodies: Record<string, string>;
  channels: Channel[];
  /** Connected channel ids; absent in drafts this device kept before targets existed. */
  targets?: string[];
  /** Media library asset ids, in the order they are shown; absent in drafts kept before media. */
  media?: string[];
  schedule: { local: string; zone: string } | null;
}

/**
 * Send as an official sees it: save what is typed (through the autosave, so no second draft is
 * made), set its time, send it for review. Each step is its own audited API call; a failure
 * stops there, leaving the draft saved.
 */
export function useComposeAndSubmit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ draft, submit, saveNow }: { draft: Draft; submit: boolean; saveNow: () => Promise<DraftRef | undefined> }) => {
      const saved = await saveNow();
      if (!saved) throw new ApiError(400, 'validation_failed', 'A title and some text are needed');
      let message: { id: string; revision: number } = saved;
      if (draft.schedule) {
        message = unwrap(
          await api.PUT('/api/v1/messages/{id}/schedule', {
            params: { path: { id: saved.id } },
            headers: { 'if-match': `"${saved.revision}"` },
            body: { local: draft.schedule.local, zone: draft.schedule.zone },
          }),
        );
      }
      if (submit) message = unwrap(await api.POST('/api/v1/messages/{id}/submit', { params: { path: { id: message.id } }, body: {} }));
      return message;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: messagesKeys.all() }),
  });
}
