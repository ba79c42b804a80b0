import { AcceptInvitationScreen } from '@/features/auth/components/accept-invitation-screen';

export default function Page() {
  return <AcceptInvitationScreen />;
}
