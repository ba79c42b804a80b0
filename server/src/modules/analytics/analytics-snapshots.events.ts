/**
 * Events of metric snapshots. Aggregate: `organisation` / the org id. The realtime gateway relays
 * it to open dashboards of that organisation and those above it (analytics.read).
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'analytics.snapshots_recorded': { organisationId: string; points: number; channelIds: string[]; deliveryIds: string[]; capturedAt: string };
  }
}

export {};
