import type { BodyOf, ResponseOf } from '@/lib/api/types';

export type ChannelView = ResponseOf<'ChannelsController.list'>['items'][number];
export type Network = ChannelView['network'];
export type ConnectAttempt = ResponseOf<'ChannelsController.attempt'>;
export type BlueskyConnect = BodyOf<'ChannelsController.bluesky'>;
export type ChannelUpdate = BodyOf<'ChannelsController.update'>;

/** Networks connected through the OAuth round trip; Bluesky takes an app password instead. */
export const OAUTH_NETWORKS = ['x', 'facebook', 'instagram', 'linkedin', 'youtube', 'mastodon'] as const satisfies readonly Network[];

export const channelsKeys = {
  all: () => ['get', '/api/v1/channels'] as const,
  attempt: (id: string) => ['get', '/api/v1/channels/connect/{id}', { id }] as const,
};
