import type { OrganisationKind } from './organisations.tables.js';

/** Events of the organisation tree. Aggregate: `organisation` / the organisation's id. */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'organisations.created': { organisationId: string; parentId: string | null; kind: OrganisationKind };
    'organisations.updated': { organisationId: string; changed: ('name' | 'kind')[] };
  }
}
