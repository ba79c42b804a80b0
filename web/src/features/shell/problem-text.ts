import type { ApiError } from '@/lib/api/errors';
import { en } from '@/lib/i18n/en';
import type { MessageKey, Vars } from '@/lib/i18n/i18n';

/** A problem in the reader's language when its code is known; the server's own words otherwise. */
export function problemText(t: (key: MessageKey, vars?: Vars) => string, error: ApiError): string {
  return error.code in en.errors ? t(`errors.${error.code as keyof typeof en.errors}`) : error.message;
}
