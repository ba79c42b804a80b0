import { describe, expect, it } from 'vitest';
import { plainText } from './comment-reader.js';
import { withoutLeadingMentions } from './mastodon.comments.js';

const hcard = (name: string) => `<span class="h-card" translate="no"><a href="https://social.example/@${name}" class="u-url mention">@<span>${name}</span></a></span>`;

describe('a Mastodon reply\'s text', () => {
  it('drops the mentions a reply opens with, one or several', () => {
    expect(plainText(withoutLeadingMentions(`<p>${hcard('mea')} Thank you</p>`))).toBe('Thank you');
    expect(plainText(withoutLeadingMentions(`<p>${hcard('mea')} ${hcard('pib')} Thank you</p>`))).toBe('Thank you');
  });

  it('keeps a mention inside the text, plain @words and a reply without mentions', () => {
    expect(plainText(withoutLeadingMentions(`<p>Ask ${hcard('pib')} too</p>`))).toBe('Ask @pib too');
    expect(plainText(withoutLeadingMentions('<p>@mea where is the form?</p>'))).toBe('@mea where is the form?');
    expect(plainText(withoutLeadingMentions('<p>No mention</p><p>Second</p>'))).toBe('No mention\n\nSecond');
  });
});
