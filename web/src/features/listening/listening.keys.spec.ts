import { describe, expect, it } from 'vitest';
import { commentsQuery, NO_FILTERS } from './listening.keys';

describe('listening filters', () => {
  it('sends only the filters set, and a search of at least two letters', () => {
    expect(commentsQuery(NO_FILTERS)).toEqual({ limit: 50 });
    expect(commentsQuery({ ...NO_FILTERS, q: ' a ', sentiment: 'negative', network: 'mastodon', lang: ' hi ' })).toEqual({ limit: 50, sentiment: 'negative', network: 'mastodon', lang: 'hi' });
    expect(commentsQuery({ ...NO_FILTERS, q: 'वीज़ा', messageId: 'not-an-id' })).toEqual({ limit: 50, q: 'वीज़ा' });
  });
});
