/**
 * Which cached API reads an event concerns: event name prefix → the path prefixes of the query
 * keys (`[method, path, params]`) to invalidate. Events invalidate, never patch: the server's
 * answer stays the only truth. New event families are one line.
 */
const CONCERNS: [eventPrefix: string, paths: string[]][] = [
  ['messages.publishing_', ['/api/v1/publishing', '/api/v1/messages', '/api/v1/calendar', '/api/v1/audit']],
  ['messages.', ['/api/v1/messages', '/api/v1/calendar', '/api/v1/approvals', '/api/v1/audit']],
  ['publishing.', ['/api/v1/messages', '/api/v1/calendar', '/api/v1/publishing', '/api/v1/audit']],
  ['channels.', ['/api/v1/channels']],
  ['deliveries.', ['/api/v1/messages', '/api/v1/deliveries', '/api/v1/calendar', '/api/v1/audit']],
  // New snapshots refetch open dashboards; a spike alert refetches the listening screen.
  ['analytics.', ['/api/v1/analytics', '/api/v1/listening']],
];

/** The path prefixes to invalidate for an event; the first matching family wins. */
export function concernsOf(eventName: string): string[] {
  return CONCERNS.find(([prefix]) => eventName.startsWith(prefix))?.[1] ?? [];
}

export function keyConcerned(queryKey: readonly unknown[], paths: readonly string[]): boolean {
  const path = queryKey[1];
  return typeof path === 'string' && paths.some((p) => path === p || path.startsWith(`${p}/`));
}
