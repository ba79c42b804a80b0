'use client';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { problemText } from '@/features/shell/problem-text';
import { passkeyCancelled } from '../passkey-browser';

/** A failed factor call in the reader's language; a closed passkey prompt says so plainly. */
export function FactorError({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const text = error instanceof ApiError ? problemText(t, error) : passkeyCancelled(error) ? t('security.passkeyCancelled') : t('errors.unknown_error');
  return <Alert>{text}</Alert>;
}
