/**
 * Events of crisis control. Aggregate: `organisation` / the suspending organisation. The names
 * keep their `messages.` prefix from before the publishing module (decision 0010): subscribers
 * and stored outbox rows already carry them.
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'messages.publishing_suspended': { suspensionId: string; organisationId: string; reason: string };
    'messages.publishing_resumed': { suspensionId: string; organisationId: string; held: number };
  }
}

export {};
