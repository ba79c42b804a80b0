'use client';
import dynamic from 'next/dynamic';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { retryAfterStepUp } from '../step-up-retry';

// Every screen can need a step-up, few do: the dialog (and Radix's) loads the first time one is asked.
const StepUpDialog = dynamic(() => import('./step-up-dialog').then((m) => m.StepUpDialog));

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
  const [open, setOpen] = useState(false);
  const settle = useRef<((ok: boolean) => void) | undefined>(undefined);
  const finish = useCallback((ok: boolean) => {
    setOpen(false);
    settle.current?.(ok);
    settle.current = undefined;
  }, []);
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
      {open ? <StepUpDialog onFinish={finish} /> : null}
    </StepUpContext.Provider>
  );
}
