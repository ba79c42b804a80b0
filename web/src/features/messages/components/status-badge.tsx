import { useT } from '@/lib/i18n/i18n';
import type { MessageStatus } from '../messages.keys';

/** Status as text as well as colour, so it reads without colour vision. */
export function StatusBadge({ status }: { status: MessageStatus }) {
  const t = useT();
  const tone = status === 'failed' || status === 'changes_requested' ? 'bg-red-100 text-red-900' : status === 'in_review' ? 'bg-amber-100 text-amber-950' : status === 'published' || status === 'scheduled' || status === 'approved' ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-900';
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>{t(`status.${status}`)}</span>;
}
