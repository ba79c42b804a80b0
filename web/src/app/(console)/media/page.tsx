import { MediaScreen } from '@/features/media/components/media-screen';

export default function Page() {
  return <MediaScreen />;
}
