/**
 * Events of deliveries. Aggregate: `message` / the message id, so a message's deliveries and its
 * final status reach subscribers in order. Analytics and notifications subscribe.
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'publishing.delivery_succeeded': { deliveryId: string; messageId: string; channelId: string; network: string; externalId: string; url: string | null };
    'publishing.delivery_failed': { deliveryId: string; messageId: string; channelId: string; network: string; failureClass: string; reason: string };
    'publishing.delivery_held': { deliveryId: string; messageId: string; channelId: string; suspensionId: string };
    'publishing.delivery_retracted': { deliveryId: string; messageId: string; channelId: string; network: string; state: 'retracted' | 'retract_failed'; reason: string };
  }
}

export {};
