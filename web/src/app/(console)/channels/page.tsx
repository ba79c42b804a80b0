import { Suspense } from 'react';
import { ChannelsScreen } from '@/features/channels/components/channels-screen';

export default function Page() {
  return (
    <Suspense>
      <ChannelsScreen />
    </Suspense>
  );
}
