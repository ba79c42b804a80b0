import { describe, expect, it } from 'vitest';
import { networkFit } from './network-limits.js';

describe('network fit', () => {
  it('takes a 1080x1350 JPEG everywhere images go, and says YouTube takes videos', () => {
    const fit = networkFit({ mime: 'image/jpeg', bytes: 400_000, width: 1080, height: 1350 });
    expect(fit.instagram).toEqual({ ok: true, reasons: [] });
    expect(fit.x!.ok).toBe(true);
    expect(fit.youtube).toEqual({ ok: false, reasons: ['this network takes videos, not images'] });
  });

  it('refuses a 9:16 image and a WebP on Instagram, with reasons', () => {
    const story = networkFit({ mime: 'image/jpeg', bytes: 300_000, width: 1080, height: 1920 });
    expect(story.instagram!.ok).toBe(false);
    expect(story.instagram!.reasons[0]).toMatch(/too tall/);
    const webp = networkFit({ mime: 'image/webp', bytes: 300_000, width: 1080, height: 1080 });
    expect(webp.instagram!.reasons[0]).toMatch(/WEBP is not accepted/);
    expect(webp.x!.ok).toBe(true);
  });

  it('refuses a 1080p video on X (too large a frame) and a 4-minute one on X (too long), but not on YouTube', () => {
    const v = networkFit({ mime: 'video/mp4', bytes: 80 * 1024 * 1024, width: 1920, height: 1080, durationMs: 240_000, videoCodec: 'h264', audioCodec: 'aac', fps: 30 });
    expect(v.x!.ok).toBe(false);
    expect(v.x!.reasons.join(' ')).toMatch(/longest accepted is 140 s/);
    expect(v.x!.reasons.join(' ')).toMatch(/1920 pixels wide/);
    expect(v.youtube!.ok).toBe(true);
    expect(v.instagram!.ok).toBe(true);
  });

  it('names an unsupported audio codec', () => {
    const v = networkFit({ mime: 'video/mp4', bytes: 1_000_000, width: 1280, height: 720, durationMs: 10_000, videoCodec: 'h264', audioCodec: 'mp3', fps: 30 });
    expect(v.linkedin!.reasons).toContain('audio codec mp3 is not supported (use aac)');
  });
});
