import { SetupScreen } from '@/features/auth/components/setup-screen';

export default function Page() {
  return <SetupScreen />;
}
