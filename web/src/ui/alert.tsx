import type { ReactNode } from 'react';

export function Alert({ tone = 'error', children }: { tone?: 'error' | 'info' | 'warning'; children: ReactNode }) {
  const style = { error: 'border-red-700 bg-red-50 text-red-900', info: 'border-sky-700 bg-sky-50 text-sky-900', warning: 'border-amber-700 bg-amber-50 text-amber-950' }[tone];
  return (
    <div role={tone === 'info' ? 'status' : 'alert'} className={`my-3 rounded border-l-4 px-3 py-2 text-sm ${style}`}>
      {children}
    </div>
  );
}
