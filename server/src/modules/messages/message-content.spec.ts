import { describe, expect, it } from 'vitest';
import { contentHash, mediaOf, MessageContentInput, normaliseContent, renditionPicks } from './message-content.js';

const asset = '7d1f3c9e-2b4a-4c6d-9e8f-0a1b2c3d4e5f';
const other = '0e4b7a52-91c3-4f0d-8a6e-5b2c1d0f9e87';
const base = { bodies: { en: 'State visit' }, media: [asset], channels: ['instagram', 'x'], variants: { instagram: { bodies: { en: 'State visit #MEA' } } } };

// Approvals are bound to this hash: content written before variants could pick renditions must
// hash as it always did. The literal is sha256 of the canonical JSON spelled out here.
const CANONICAL =
  '{"bodies":{"en":"State visit"},"channels":["x","instagram"],"link":null,"media":["7d1f3c9e-2b4a-4c6d-9e8f-0a1b2c3d4e5f"],"variants":{"instagram":{"bodies":{"en":"State visit #MEA"}}}}';
const CANONICAL_SHA256 = '92065ddd0f68825b065fd2443d121bc8a048784d4083f2445556aa12f132a7f5';

const parse = (c: unknown) => MessageContentInput.parse(c);

describe('per-network rendition choice in message content', () => {
  it('leaves the hash of content without a rendition choice as it was', () => {
    expect(CANONICAL).toContain(asset);
    expect(contentHash(parse(base))).toBe(CANONICAL_SHA256);
  });

  it('hashes an empty rendition choice like none, and a real choice differently', () => {
    const empty = parse({ ...base, variants: { instagram: { ...base.variants.instagram, renditions: {} } } });
    expect(contentHash(empty)).toBe(CANONICAL_SHA256);
    expect(normaliseContent(empty).variants.instagram).not.toHaveProperty('renditions');
    const picked = parse({ ...base, variants: { instagram: { ...base.variants.instagram, renditions: { [asset]: 'portrait_4_5' } } } });
    expect(contentHash(picked)).not.toBe(CANONICAL_SHA256);
  });

  it('refuses a pick for an asset the network’s post does not carry', () => {
    const notCarried = MessageContentInput.safeParse({ ...base, variants: { x: { renditions: { [other]: 'link_1_91' } } } });
    expect(notCarried.success).toBe(false);
    expect(notCarried.error?.issues[0]?.path).toEqual(['variants', 'x', 'renditions', other]);
    // A variant with its own media: the pick follows that list, not the message's.
    const own = MessageContentInput.safeParse({ ...base, variants: { x: { media: [other], renditions: { [asset]: 'link_1_91' } } } });
    expect(own.success).toBe(false);
    expect(MessageContentInput.safeParse({ ...base, variants: { x: { media: [other], renditions: { [other]: 'link_1_91' } } } }).success).toBe(true);
  });

  it('refuses a rendition name that is not one the pipeline could have made', () => {
    expect(MessageContentInput.safeParse({ ...base, variants: { x: { renditions: { [asset]: '../original' } } } }).success).toBe(false);
  });

  it('lists every attached asset and each network’s picks', () => {
    const c = normaliseContent(parse({ ...base, variants: { x: { media: [other, asset], renditions: { [other]: 'link_1_91' } }, instagram: { renditions: { [asset]: 'portrait_4_5' } } } }));
    expect(mediaOf(c)).toEqual([asset, other]);
    expect(renditionPicks(c)).toEqual([
      { channel: 'x', assetId: other, rendition: 'link_1_91' },
      { channel: 'instagram', assetId: asset, rendition: 'portrait_4_5' },
    ]);
  });
});
