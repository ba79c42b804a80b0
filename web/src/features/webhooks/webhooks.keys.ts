import type { BodyOf, ResponseOf } from '@/lib/api/types';

export type WebhookView = ResponseOf<'WebhooksController.list'>['items'][number];
export type DeliveryView = ResponseOf<'WebhooksController.deliveries'>['items'][number];
export type CreateWebhook = BodyOf<'WebhooksController.create'>;
export type UpdateWebhook = BodyOf<'WebhooksController.update'>;

export const webhooksKeys = {
  all: () => ['get', '/api/v1/webhooks'] as const,
  deliveries: (id: string) => ['get', '/api/v1/webhooks/{id}/deliveries', { id }] as const,
};

/** "messages.*, publishing.delivery_failed" → the filter the API takes. */
export function parseEvents(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
