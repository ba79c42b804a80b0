'use client';
import * as Dialog from '@radix-ui/react-dialog';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { useMfaStatus, useShowFactor } from '../hooks/use-security';
import { FactorForm } from './factor-form';

/** The step-up prompt itself: loaded the first time a sensitive call asks for it. */
export function StepUpDialog({ onFinish }: { onFinish: (ok: boolean) => void }) {
  const t = useT();
  const status = useMfaStatus(true).data;
  const show = useShowFactor();
  const finish = (ok: boolean) => {
    show.reset();
    onFinish(ok);
  };
  return (
    <Dialog.Root open onOpenChange={(o) => (o ? undefined : finish(false))}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/50" />
        <Dialog.Content className="fixed top-1/2 left-1/2 w-[28rem] max-w-[90vw] -translate-x-1/2 -translate-y-1/2 rounded bg-white p-5 shadow-lg">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{t('security.stepUpTitle')}</Dialog.Title>
          <Dialog.Description className="mt-2 mb-3 text-sm text-slate-800">{t('security.stepUpExplain', { minutes: status?.stepUpMinutes ?? 10 })}</Dialog.Description>
          <FactorForm
            passkey={(status?.passkeys ?? 0) > 0}
            pending={show.isPending}
            error={show.error}
            onCode={(code) => show.mutate({ code }, { onSuccess: () => finish(true) })}
            onPasskey={() => show.mutate({ passkey: true }, { onSuccess: () => finish(true) })}
          />
          <div className="mt-3 flex justify-end">
            <Dialog.Close asChild>
              <Button tone="secondary">{t('settings.cancel')}</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
