/**
 * Events of listening. Aggregate: `spike_alert`. `analytics.spike_detected` is what the
 * notifications module subscribes to: its payload is a contract (organisationId, messageId,
 * alertId, kind, severity at least); add fields, never rename them.
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'analytics.spike_detected': {
      alertId: string;
      organisationId: string;
      messageId: string | null;
      kind: 'volume' | 'negative_share';
      severity: 'warning' | 'critical';
      observed: number;
      baseline: number;
      threshold: number;
      windowStart: string;
    };
  }
}

export {};
