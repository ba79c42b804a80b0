import { describe, expect, it } from 'vitest';
import { publicOrigin } from './channels.dto.js';

describe('a server the officer names (Mastodon instance, Bluesky PDS)', () => {
  it('is read as an https origin from a host name or URL', () => {
    expect(publicOrigin('mastodon.social')).toBe('https://mastodon.social');
    expect(publicOrigin('https://social.example.gov.in/@mea')).toBe('https://social.example.gov.in');
    expect(publicOrigin('https://mastodon.social:443/')).toBe('https://mastodon.social');
  });

  it('drops a trailing dot, so "host." is checked as "host"', () => {
    expect(publicOrigin('mastodon.social.')).toBe('https://mastodon.social');
    expect(publicOrigin('https://db.localhost.')).toBeUndefined();
    expect(publicOrigin('https://127.0.0.1.')).toBeUndefined();
  });

  it('refuses any port but the https default', () => {
    for (const bad of ['https://mastodon.social:8443', 'mastodon.social:22', 'https://mastodon.social:6379/']) expect(publicOrigin(bad), bad).toBeUndefined();
  });

  it('is never an address, a local name, plain http or a URL with credentials', () => {
    for (const bad of ['127.0.0.1', 'https://10.0.0.5', '[::1]', 'https://[fd00::1]', 'localhost', 'https://db.localhost', 'http://mastodon.social', 'https://user:pw@mastodon.social', 'file:///etc/passwd', 'a b c']) {
      expect(publicOrigin(bad), bad).toBeUndefined();
    }
  });
});
