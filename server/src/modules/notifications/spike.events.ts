/**
 * The spike alert notifications handle. Analytics emits it (another change is writing the
 * detector); it is declared here so that the subscriber is typed before the emitter exists.
 * Once analytics declares it in its own `analytics.events.ts`, this file goes: the payloads
 * must agree field for field (TypeScript refuses two different declarations of one name).
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'analytics.spike_detected': { alertId: string; metric: string; summary: string };
  }
}

export {};
