'use client';
import { useEffect, useRef, type ReactNode } from 'react';

/** A route's h1 takes focus when the route opens, so a screen reader announces the new page. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1} className="mb-4 text-2xl font-semibold text-slate-900 outline-none">
      {children}
    </h1>
  );
}
