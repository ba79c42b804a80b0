import { ApiError } from '../../lib/api/errors';

export type Choice = { id: string; name: string };

/** The providers a `sso_required` refusal names (the ones that would let this user in), if it is one. */
export function requiredProviders(error: unknown): Choice[] {
  if (!(error instanceof ApiError) || error.code !== 'sso_required') return [];
  const providers = (error.details as { providers?: unknown } | undefined)?.providers;
  if (!Array.isArray(providers)) return [];
  return (providers as unknown[]).filter((p): p is Choice => {
    const c = p as Partial<Record<keyof Choice, unknown>> | null;
    return typeof c?.id === 'string' && typeof c.name === 'string';
  });
}
