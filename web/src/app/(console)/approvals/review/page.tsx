import { Suspense } from 'react';
import { ReviewScreen } from '@/features/approvals/components/review-screen';

export default function Page() {
  return (
    <Suspense>
      <ReviewScreen />
    </Suspense>
  );
}
