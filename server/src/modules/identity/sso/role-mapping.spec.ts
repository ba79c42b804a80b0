import { describe, expect, it } from 'vitest';
import { emailDomainAllowed, mapRole } from './role-mapping.js';

describe('SSO role mapping', () => {
  const mapping = { claim: 'groups', values: { press: 'editor', desk: 'approver', all: 'viewer' } } as const;
  it('takes the highest role any claim value maps to', () => {
    expect(mapRole(mapping, { groups: ['all', 'desk', 'press'] }, null)).toBe('approver');
    expect(mapRole(mapping, { groups: 'press' }, null)).toBe('editor');
  });
  it('falls back to the default role, or to none', () => {
    expect(mapRole(mapping, { groups: ['unknown'] }, 'viewer')).toBe('viewer');
    expect(mapRole(mapping, {}, null)).toBeNull();
    expect(mapRole({}, { groups: ['press'] }, null)).toBeNull();
  });
  it('checks email domains exactly, case-insensitively, and allows all when none are listed', () => {
    expect(emailDomainAllowed('a@mea.gov.in', ['MEA.gov.in'])).toBe(true);
    expect(emailDomainAllowed('a@evil-mea.gov.in', ['mea.gov.in'])).toBe(false);
    expect(emailDomainAllowed('a@x.org', [])).toBe(true);
  });
});
