import { ListeningScreen } from '@/features/listening/components/listening-screen';

export default function Page() {
  return <ListeningScreen />;
}
