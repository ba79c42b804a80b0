import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../messages/messages.dto.js';
import { mediaOf } from '../messages/messages.dto.js';
import type { DeliveryChannel } from './channel-access.port.js';
import { mediaRequestOf, postInputOf } from './delivery-input.js';

const channel = (network: DeliveryChannel['network'], language: string | null = null) => ({ network, language }) as DeliveryChannel;

describe('mediaOf', () => {
  it('counts media a network variant carries, not only the message\'s own', () => {
    const c = { bodies: { en: 'x' }, media: [], variants: { mastodon: { media: ['a1'] }, bluesky: { media: ['a1', 'a2'] } }, targets: [] } as unknown as MessageContent;
    expect(mediaOf(c)).toEqual(['a1', 'a2']);
    expect(mediaOf({ ...c, variants: {} })).toEqual([]);
  });
});

describe('what a delivery sends', () => {
  const c = {
    bodies: { en: 'Hello', hi: 'नमस्ते' },
    link: null,
    media: ['m1', 'm2'],
    channels: ['x', 'instagram'],
    variants: { instagram: { media: ['m2'], renditions: { m2: 'portrait_4_5' }, bodies: { hi: 'इंस्टा' } } },
  } as unknown as MessageContent;

  it('asks for the variant\'s media and picks, in the channel\'s language; else the message\'s media', () => {
    expect(mediaRequestOf(c, channel('instagram', 'hi'))).toEqual({ assetIds: ['m2'], network: 'instagram', picks: { m2: 'portrait_4_5' }, language: 'hi' });
    expect(mediaRequestOf(c, channel('x', 'fr'))).toEqual({ assetIds: ['m1', 'm2'], network: 'x', picks: {}, language: 'en' });
  });

  it('carries the resolved media with the variant text', () => {
    const media = [{ assetId: 'm2' }] as never;
    expect(postInputOf(c, channel('instagram', 'hi'), 'k', media)).toMatchObject({ text: 'इंस्टा', language: 'hi', media, idempotencyKey: 'k' });
  });
});
