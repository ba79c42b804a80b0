'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

/**
 * A link whose screen's code is fetched on intent (pointer over it, or focus), not when it
 * scrolls into view. Next prefetches every visible link's route by default: on the first page
 * that was all eight screens of the navigation, ~95 KB gzipped of code nobody had asked for.
 * Each route stays its own chunk, so screens added later do not weigh on the first page.
 */
export function IntentLink({ href, onMouseEnter, onFocus, ...props }: Omit<ComponentProps<typeof Link>, 'prefetch' | 'href'> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      href={href}
      prefetch={false}
      onMouseEnter={(e) => {
        router.prefetch(href);
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        router.prefetch(href);
        onFocus?.(e);
      }}
      {...props}
    />
  );
}
