/**
 * Metrics and comments that grow with the simulated clock, so analytics can watch numbers move
 * without a background timer: everything is a pure function of a post's age, plus whatever the
 * admin API added on top.
 */
export interface Engagement {
  views: number;
  likes: number;
  shares: number;
  comments: number;
}

export interface SimComment {
  id: string;
  text: string;
  author: string;
  createdAt: number;
  parentId?: string;
}

export interface EngagementExtra {
  views?: number;
  likes?: number;
  shares?: number;
  comments?: SimComment[];
}

const MINUTE = 60_000;
/** A new audience comment every 10 simulated minutes, up to 25. */
export const COMMENT_EVERY_MS = 10 * MINUTE;
const MAX_GROWN_COMMENTS = 25;

export function grownEngagement(createdAt: number, now: number, extra: EngagementExtra = {}): Engagement {
  const minutes = Math.max(0, (now - createdAt) / MINUTE);
  return {
    views: Math.floor(minutes * 12) + (extra.views ?? 0),
    likes: Math.floor(Math.sqrt(minutes) * 4) + (extra.likes ?? 0),
    shares: Math.floor(Math.sqrt(minutes)) + (extra.shares ?? 0),
    comments: grownCommentCount(createdAt, now) + (extra.comments?.length ?? 0),
  };
}

export function grownCommentCount(createdAt: number, now: number): number {
  return Math.min(MAX_GROWN_COMMENTS, Math.max(0, Math.floor((now - createdAt) / COMMENT_EVERY_MS)));
}

/** The audience comments on a post so far, oldest first, with stable ids derived from the post id. */
export function grownComments(postId: string, createdAt: number, now: number, extra: EngagementExtra = {}): SimComment[] {
  const grown: SimComment[] = [];
  for (let i = 0; i < grownCommentCount(createdAt, now); i += 1) {
    grown.push({
      id: `${postId.replace(/\D/g, '').slice(-10) || '1'}${String(i + 1).padStart(4, '0')}`,
      text: AUDIENCE_LINES[i % AUDIENCE_LINES.length] ?? 'Thank you',
      author: `citizen${(i % 7) + 1}`,
      createdAt: createdAt + (i + 1) * COMMENT_EVERY_MS,
    });
  }
  return [...grown, ...(extra.comments ?? [])].sort((a, b) => a.createdAt - b.createdAt);
}

const AUDIENCE_LINES = [
  'Thank you for the update.',
  'धन्यवाद, यह जानकारी उपयोगी है।',
  'When will this take effect?',
  'Please share the official link.',
  'Great initiative 👏',
  'Is this available in my district?',
  'Shared with my family.',
];

export function mergeExtra(current: EngagementExtra, extra: EngagementExtra): EngagementExtra {
  return {
    views: (current.views ?? 0) + (extra.views ?? 0),
    likes: (current.likes ?? 0) + (extra.likes ?? 0),
    shares: (current.shares ?? 0) + (extra.shares ?? 0),
    comments: [...(current.comments ?? []), ...(extra.comments ?? [])],
  };
}
