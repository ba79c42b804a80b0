import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/features/shell/providers';
import './globals.css';

export const metadata: Metadata = { title: 'Guddu', description: 'Communications command centre' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" dir="ltr">
      <body className="font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
