import { useT } from '@/lib/i18n/i18n';
import type { MessageStatus } from '@/features/messages/messages.keys';

/** A glyph per status, so a crowded cell reads without colour; the name is there for screen readers. */
const GLYPH: Record<MessageStatus, string> = {
  draft: '✎',
  in_review: '⧗',
  changes_requested: '↺',
  approved: '✓',
  scheduled: '⏲',
  publishing: '➚',
  published: '✔',
  partially_published: '◐',
  failed: '✖',
  withdrawn: '⊘',
  archived: '▣',
};

const TONE: Partial<Record<MessageStatus, string>> = {
  failed: 'text-red-800',
  changes_requested: 'text-red-800',
  partially_published: 'text-amber-900',
  in_review: 'text-amber-900',
  published: 'text-emerald-800',
  scheduled: 'text-emerald-800',
  approved: 'text-emerald-800',
};

export function StatusIcon({ status }: { status: MessageStatus }) {
  const t = useT();
  const name = t(`status.${status}`);
  return (
    <span className={`inline-block w-4 text-center ${TONE[status] ?? 'text-slate-700'}`} title={name}>
      <span aria-hidden="true">{GLYPH[status]}</span>
      <span className="sr-only">{name}</span>
    </span>
  );
}
