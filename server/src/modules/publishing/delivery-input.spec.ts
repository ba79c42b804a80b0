import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../messages/messages.dto.js';
import { mediaOf } from '../messages/messages.dto.js';

describe('mediaOf', () => {
  it('counts media a network variant carries, not only the message\'s own', () => {
    const c = { bodies: { en: 'x' }, media: [], variants: { mastodon: { media: ['a1'] }, bluesky: { media: ['a1', 'a2'] } }, targets: [] } as unknown as MessageContent;
    expect(mediaOf(c)).toEqual(['a1', 'a2']);
    expect(mediaOf({ ...c, variants: {} })).toEqual([]);
  });
});
