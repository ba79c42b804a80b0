import { ConnectCallback } from '@/features/channels/components/connect-callback';

// One static landing page per network: the redirect URI each network is registered with.
const NETWORKS = ['x', 'facebook', 'instagram', 'linkedin', 'youtube', 'mastodon', 'bluesky'];

export function generateStaticParams() {
  return NETWORKS.map((network) => ({ network }));
}

export default async function Page({ params }: { params: Promise<{ network: string }> }) {
  const { network } = await params;
  return <ConnectCallback network={network} />;
}
