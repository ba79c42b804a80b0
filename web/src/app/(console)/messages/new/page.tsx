import { ComposerScreen } from '@/features/messages/components/composer-screen';

export default function Page() {
  return <ComposerScreen />;
}
