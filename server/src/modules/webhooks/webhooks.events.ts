/** Events of outgoing webhooks. Aggregate: `webhook` / the webhook id. */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    /**
     * Guddu stopped sending to a webhook: every attempt failed for the configured time and count
     * (`auto`), or an admin switched it off. Notifications tell the organisation's admins.
     */
    'webhooks.disabled': { webhookId: string; url: string; reason: string; auto: boolean; consecutiveFailures: number };
  }
}

export {};
