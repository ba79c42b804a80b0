'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { Channel } from '../content';
import { messagesKeys } from '../messages.keys';

export interface Draft {
  title: string;
  bodies: Record<string, string>;
  channels: Channel[];
  schedule: { local: string; zone: string } | null;
}

/**
 * Compose in one step as an official sees it: save the draft, set its time, send it for
 * review. Each step is its own audited API call; a failure stops there, leaving the draft saved.
 */
export function useComposeAndSubmit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ draft, submit }: { draft: Draft; submit: boolean }) => {
      const bodies = Object.fromEntries(Object.entries(draft.bodies).filter(([, text]) => text.trim() !== ''));
      let message = unwrap(await api.POST('/api/v1/messages', { body: { title: draft.title, content: { bodies, channels: draft.channels } } }));
      if (draft.schedule) {
        message = unwrap(
          await api.PUT('/api/v1/messages/{id}/schedule', {
            params: { path: { id: message.id } },
            headers: { 'if-match': `"${message.revision}"` },
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
