import type { Draft } from './hooks/use-compose';

/**
 * The composer's copy on this device: written on every change, so a closed tab, a crash or a
 * lost connection loses nothing; removed once the message is sent for approval or discarded.
 */
export interface StoredDraft {
  draft: Draft;
  languages: string[];
  /** The server draft it autosaves into, once it has one. */
  ref: { id: string; revision: number } | null;
}

const key = (userId: string) => `guddu.composer.${userId}`;

export function loadDraft(userId: string): StoredDraft | undefined {
  try {
    const raw = localStorage.getItem(key(userId));
    return raw ? (JSON.parse(raw) as StoredDraft) : undefined;
  } catch {
    return undefined; // unreadable (another version's shape): start afresh
  }
}

export function storeDraft(userId: string, value: StoredDraft): void {
  localStorage.setItem(key(userId), JSON.stringify(value));
}

export function forgetDraft(userId: string): void {
  localStorage.removeItem(key(userId));
}

/** What the server keeps of a draft (texts that are not empty); equal strings mean nothing to save. */
export function savedShape(d: Draft): string {
  const bodies = Object.fromEntries(Object.entries(d.bodies).filter(([, text]) => text.trim() !== ''));
  return JSON.stringify({ title: d.title.trim(), bodies, channels: [...d.channels].sort(), targets: [...(d.targets ?? [])].sort(), media: d.media ?? [] });
}

export function saveable(d: Draft): boolean {
  return d.title.trim() !== '' && Object.values(d.bodies).some((b) => b.trim() !== '');
}
