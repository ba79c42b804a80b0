import { SecurityScreen } from '@/features/security/components/security-screen';

export default function Page() {
  return <SecurityScreen />;
}
