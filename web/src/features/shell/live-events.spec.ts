import { describe, expect, it } from 'vitest';
import { concernsOf, keyConcerned } from './live-events';

describe('live event concerns', () => {
  it('sends a suspension to the banner’s query and a status change to the message screens', () => {
    expect(keyConcerned(['get', '/api/v1/publishing/suspension'], concernsOf('messages.publishing_suspended'))).toBe(true);
    expect(keyConcerned(['get', '/api/v1/messages/{id}', { id: 'x' }], concernsOf('messages.status_changed'))).toBe(true);
    expect(keyConcerned(['get', '/api/v1/calendar', {}], concernsOf('messages.approval_recorded'))).toBe(true);
  });

  it('refetches open dashboards on new snapshots, and the listening screen on a spike', () => {
    expect(keyConcerned(['get', '/api/v1/analytics/organisation', { from: 'a' }], concernsOf('analytics.snapshots_recorded'))).toBe(true);
    expect(keyConcerned(['get', '/api/v1/analytics/organisation/breakdown', { from: 'a' }], concernsOf('analytics.snapshots_recorded'))).toBe(true);
    expect(keyConcerned(['get', '/api/v1/listening/alerts', { limit: 50 }], concernsOf('analytics.spike_detected'))).toBe(true);
    expect(keyConcerned(['get', '/api/v1/messages'], concernsOf('analytics.snapshots_recorded'))).toBe(false);
  });

  it('leaves unrelated queries and unknown events alone', () => {
    expect(keyConcerned(['get', '/api/v1/me'], concernsOf('messages.status_changed'))).toBe(false);
    expect(keyConcerned(['get', '/api/v1/messagesx'], concernsOf('messages.created'))).toBe(false);
    expect(concernsOf('identity.user_deactivated')).toEqual([]);
  });
});
