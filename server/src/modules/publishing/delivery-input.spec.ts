import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../messages/messages.dto.js';
import { mediaOfContent } from './delivery-input.js';

describe('mediaOfContent', () => {
  it('counts media a network variant carries, not only the message\'s own', () => {
    const c = { bodies: { en: 'x' }, media: [], variants: { mastodon: { media: ['a1'] }, bluesky: { media: ['a1', 'a2'] } }, targets: [] } as unknown as MessageContent;
    expect(mediaOfContent(c)).toEqual(['a1', 'a2']);
    expect(mediaOfContent({ ...c, variants: {} })).toEqual([]);
  });
});
