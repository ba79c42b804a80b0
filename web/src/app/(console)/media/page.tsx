import { ComingSoonScreen } from '@/features/coming-soon/components/coming-soon-screen';

export default function Page() {
  return <ComingSoonScreen screen="media" />;
}
