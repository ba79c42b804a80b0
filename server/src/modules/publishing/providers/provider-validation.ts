import { networkFit } from '../../media/media.dto.js';
import { checkChannelLimit, type ChannelTextField } from '../../messages/messages.dto.js';
import type { PostMedia, ValidationProblem } from './provider.js';

/**
 * Checks every provider shares: the text against the limit the editor shows (messages' own
 * text metrics), the link's form, and media against the media library's per-network rules, so
 * what the console warns about and what a provider refuses never disagree.
 */

export function textProblems(field: ChannelTextField, text: string, label: string): ValidationProblem[] {
  const check = checkChannelLimit(field, text);
  if (check.ok) return [];
  return [{ field: 'text', code: 'text_too_long', message: `${label} takes at most ${check.limit}; this text counts ${check.used}` }];
}

export function linkProblems(link: string | null, label: string): ValidationProblem[] {
  if (link === null) return [];
  try {
    const url = new URL(link);
    if (url.protocol === 'https:' || url.protocol === 'http:') return [];
  } catch {
    // falls through to the problem below
  }
  return [{ field: 'link', code: 'link_invalid', message: `${label} needs a full http(s) address for the link` }];
}

export interface MediaRules {
  label: string;
  maxImages: number;
  video: boolean;
  /** When the network needs at least one picture or video (Instagram, YouTube). */
  required?: 'media' | 'video';
  /** The media library's network name, when it has rules for this network. */
  libraryNetwork?: 'facebook' | 'x' | 'instagram' | 'youtube' | 'linkedin';
  /** Extra per-item rules for networks the library does not cover. */
  item?: (m: Omit<PostMedia, 'open'>) => string[];
}

export function mediaProblems(media: readonly Omit<PostMedia, 'open'>[], rules: MediaRules): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const problem = (code: string, message: string) => out.push({ field: 'media', code, message });
  const images = media.filter((m) => m.kind === 'image');
  const videos = media.filter((m) => m.kind === 'video');
  if (rules.required === 'video' && videos.length === 0) problem('video_required', `${rules.label} posts need a video`);
  if (rules.required === 'media' && media.length === 0) problem('media_required', `${rules.label} posts need a picture or a video`);
  if (videos.length > 0 && !rules.video) problem('video_unsupported', `${rules.label} does not take videos here`);
  if (videos.length > 1) problem('too_many_videos', `${rules.label} takes one video per post`);
  if (videos.length > 0 && images.length > 0 && rules.libraryNetwork !== 'instagram') problem('mixed_media', `${rules.label} takes either pictures or one video, not both`);
  if (images.length > rules.maxImages) problem('too_many_images', rules.maxImages === 0 ? `${rules.label} does not take pictures` : `${rules.label} takes at most ${rules.maxImages} pictures`);
  for (const [i, m] of media.entries()) {
    const reasons = [...(rules.libraryNetwork ? libraryReasons(rules.libraryNetwork, m) : []), ...(rules.item?.(m) ?? [])];
    for (const reason of reasons) problem('media_unsuitable', `${rules.label}, ${m.kind} ${i + 1}: ${reason}`);
  }
  return out;
}

function libraryReasons(network: NonNullable<MediaRules['libraryNetwork']>, m: Omit<PostMedia, 'open'>): string[] {
  const fit = networkFit({ mime: m.mimeType, bytes: m.bytes, width: m.width, height: m.height, durationMs: m.durationMs });
  return fit[network]?.reasons ?? [];
}
