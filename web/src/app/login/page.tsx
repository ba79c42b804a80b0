import { Suspense } from 'react';
import { SignInScreen } from '@/features/auth/components/sign-in-screen';

export default function Page() {
  return (
    <Suspense>
      <SignInScreen />
    </Suspense>
  );
}
