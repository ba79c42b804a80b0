import { Suspense } from 'react';
import { ComposerScreen } from '@/features/messages/components/composer-screen';

export default function Page() {
  return (
    <Suspense>
      <ComposerScreen />
    </Suspense>
  );
}
