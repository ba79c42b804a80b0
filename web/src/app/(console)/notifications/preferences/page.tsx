import { PreferencesScreen } from '@/features/notifications/components/preferences-screen';

export default function Page() {
  return <PreferencesScreen />;
}
