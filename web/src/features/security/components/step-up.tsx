'use client';
import * as Dialog from '@radix-ui/react-dialog';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { useMfaStatus, useShowFactor } from '../hooks/use-security';
import { retryAfterStepUp } from '../step-up-retry';
import { FactorForm } from './factor-form';

type Guard = <T>(fn: () => Promise<T>) => Promise<T>;
const StepUpContext = createContext<Guard>((fn) => fn());

/**
 * Runs a sensitive call; when the server answers `step_up_required`, asks for a fresh factor in
 * a dialog and, once shown, makes the call again. Closing the dialog gives the original error.
 */
export function useStepUpGuard(): Guard {
  return useContext(StepUpContext);
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const settle = useRef<((ok: boolean) => void) | undefined>(undefined);
  const status = useMfaStatus(open).data;
  const show = useShowFactor();
  const finish = (ok: boolean) => {
    setOpen(false);
    show.reset();
    settle.current?.(ok);
    settle.current = undefined;
  };
  const guard = useCallback<Guard>(
    (fn) =>
      retryAfterStepUp(
        fn,
        () =>
          new Promise<boolean>((resolve) => {
            settle.current = resolve;
            setOpen(true);
          }),
      ),
    [],
  );
  return (
    <StepUpContext.Provider value={guard}>
      {children}
      <Dialog.Root open={open} onOpenChange={(o) => (o ? setOpen(true) : finish(false))}>
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
    </StepUpContext.Provider>
  );
}
