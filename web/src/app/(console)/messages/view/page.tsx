import { Suspense } from 'react';
import { MessageScreen } from '@/features/messages/components/message-screen';

export default function Page() {
  return (
    <Suspense>
      <MessageScreen />
    </Suspense>
  );
}
