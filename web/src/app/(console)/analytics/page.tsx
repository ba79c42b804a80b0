import { AnalyticsScreen } from '@/features/analytics/components/analytics-screen';

export default function Page() {
  return <AnalyticsScreen />;
}
