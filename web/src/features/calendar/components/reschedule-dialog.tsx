'use client';
import * as Dialog from '@radix-ui/react-dialog';
import { useState, type FormEvent } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import type { CalendarItem } from '../hooks/use-calendar';

/**
 * The keyboard's way to move a message: choose a day, the time of day in the message's own zone is
 * kept. Radix keeps focus inside and returns it to the Move button. A refusal is shown here, with
 * its reason, and the dialog stays open.
 */
export function RescheduleDialog({ item, error, pending, onClose, onConfirm }: { item: CalendarItem; error: string | null; pending: boolean; onClose: () => void; onConfirm: (date: string) => void }) {
  const t = useT();
  const [date, setDate] = useState(item.schedule.local.slice(0, 10));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (date) onConfirm(date);
  };
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/50" />
        <Dialog.Content className="fixed top-1/2 left-1/2 w-[28rem] max-w-[90vw] -translate-x-1/2 -translate-y-1/2 rounded bg-white p-5 shadow-lg">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{t('calendar.moveTitle', { title: item.title })}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-800">{t('calendar.keepsTime', { time: item.schedule.local.slice(11, 16), zone: item.schedule.zone })}</Dialog.Description>
          <form onSubmit={submit} className="mt-3">
            <TextField label={t('calendar.newDay')} type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
            {error ? (
              <p role="alert" className="mb-2 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900">
                {error}
              </p>
            ) : null}
            <div className="mt-2 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button tone="secondary">{t('calendar.cancel')}</Button>
              </Dialog.Close>
              <Button type="submit" disabled={pending}>
                {t('calendar.moveConfirm')}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
