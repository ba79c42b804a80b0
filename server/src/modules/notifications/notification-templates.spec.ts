import { describe, expect, it } from 'vitest';
import { KIND_NAMES } from './notification-kinds.js';
import { languageFor, renderEmail, renderLine, renderSms } from './notification-templates.js';

const params = { title: 'Visa <b>advisory</b>', stage: 'Desk', reason: 'token revoked', network: 'Mastodon', failed: 2, succeeded: 1 };

describe('notification templates', () => {
  it('renders every kind in English and Hindi with no slot left unfilled', () => {
    for (const kind of KIND_NAMES) {
      for (const lang of ['en', 'hi'] as const) {
        const mail = renderEmail(kind, lang, params, 'https://guddu.example/notifications');
        expect(mail.subject).not.toMatch(/\{\w+\}/);
        expect(mail.text).not.toMatch(/\{\w+\}/);
        expect(mail.html).toContain(`lang="${lang}"`);
      }
    }
  });

  it('Hindi comes out in Devanagari, English in Latin', () => {
    expect(renderEmail('approval_requested', 'hi', params, 'https://x/').text).toMatch(/स्वीकृति/);
    expect(renderEmail('approval_requested', 'en', params, 'https://x/').text).toMatch(/waiting for your approval/);
  });

  it('escapes titles in HTML and keeps them as text in the plain part', () => {
    const mail = renderEmail('approval_requested', 'en', params, 'https://x/?a=1&b=2');
    expect(mail.html).toContain('Visa &lt;b&gt;advisory&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>advisory');
    expect(mail.html).toContain('href="https://x/?a=1&amp;b=2"');
    expect(mail.text).toContain('Visa <b>advisory</b>');
  });

  it('SMS carries the kind and the link, never the title or reason', () => {
    const sms = renderSms('delivery_failed', 'en', params, 'https://g.example/n/1');
    expect(sms).toBe('Guddu: Not posted on Mastodon. https://g.example/n/1');
    expect(sms).not.toContain('advisory');
    expect(renderSms('message_retracted', 'en', params, 'https://g.example/n/1')).toBe('Guddu: Taken down. https://g.example/n/1');
    expect(renderSms('publishing_suspended', 'hi', params, 'https://g.example/n/1')).toBe('गुड्डू: प्रकाशन निलंबित. https://g.example/n/1');
  });

  it('picks Hindi for hi and hi-IN, English otherwise', () => {
    expect(languageFor('hi-IN')).toBe('hi');
    expect(languageFor('en-IN')).toBe('en');
    expect(languageFor(undefined)).toBe('en');
    expect(renderLine('message_approved', 'hi', params).title).toBe('स्वीकृत: Visa <b>advisory</b>');
  });
});
