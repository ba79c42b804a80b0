import { describe, expect, it } from 'vitest';
import { defaultRendition } from './delivery-renditions.js';
import type { NetworkFit } from './media.tables.js';

const fit = (ok: boolean) => ({ ok, reasons: ok ? [] : ['no'] });
const images = ['square', 'portrait_4_5', 'story_9_16', 'link_1_91', 'console_webp'].map((name) => ({ name, height: 1080, networks: { instagram: fit(name !== 'story_9_16'), x: fit(true) } }));

describe('the rendition a network gets by default', () => {
  it('a picture: the crop closest to its shape that the network takes', () => {
    expect(defaultRendition({ kind: 'image', width: 1600, height: 900 }, images, 'x')).toBe('link_1_91');
    expect(defaultRendition({ kind: 'image', width: 640, height: 480 }, images, 'x')).toBe('square');
    expect(defaultRendition({ kind: 'image', width: 600, height: 900 }, images, 'instagram')).toBe('portrait_4_5');
    // A network the library does not judge (Mastodon) takes any of them.
    expect(defaultRendition({ kind: 'image', width: 600, height: 900 }, images, 'mastodon')).toBe('portrait_4_5');
    expect(defaultRendition({ kind: 'image', width: 600, height: 900 }, [], 'x')).toBeUndefined();
  });

  it('a video: the largest the network takes; unjudged networks get the largest at or under 720p', () => {
    const videos: { name: string; height: number; networks: NetworkFit }[] = [
      { name: 'video_1080p', height: 1080, networks: { x: fit(false), youtube: fit(true) } },
      { name: 'video_720p', height: 720, networks: { x: fit(true), youtube: fit(true) } },
      { name: 'poster', height: 1080, networks: { x: fit(true) } },
    ];
    expect(defaultRendition({ kind: 'video', width: 1920, height: 1080 }, videos, 'youtube')).toBe('video_1080p');
    expect(defaultRendition({ kind: 'video', width: 1920, height: 1080 }, videos, 'x')).toBe('video_720p');
    expect(defaultRendition({ kind: 'video', width: 1920, height: 1080 }, videos, 'bluesky')).toBe('video_720p');
    expect(defaultRendition({ kind: 'video', width: 1920, height: 1080 }, [{ ...videos[0]!, networks: { x: fit(false) } }], 'x')).toBeUndefined();
  });
});
