/**
 * How each network shows a post's text in the feed: links shortened for display as the network
 * does, and the "see more" fold the network applies. Pure functions, so the rules are tested
 * apart from the screen. The folds are the networks' feed behaviour (approximate, documented in
 * decision 0032); what is published is always the whole text.
 */
import twitterText from 'twitter-text';
import type { Channel } from './content';

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'tag'; text: string };

/** Characters (graphemes) shown before the network folds the rest behind "see more"; null: all. */
export const FOLD: Record<Channel, number | null> = {
  x: null,
  facebook: 477,
  instagram: 125,
  linkedin: 210,
  youtube: 100,
  mastodon: null,
  bluesky: null,
};

/** Networks that show a link shortened (X's t.co display URL, Mastodon's 30-character ellipsis). */
const LINK_DISPLAY: Partial<Record<Channel, number>> = { x: 23, mastodon: 30, linkedin: 30 };

function shortLink(url: string, max: number): string {
  const shown = url.replace(/^https?:\/\/(www\.)?/, '');
  return [...shown].length <= max ? shown : `${[...shown].slice(0, max - 1).join('')}…`;
}

/** The text cut into plain runs, links and hashtags, in order; links carry their full address. */
export function segmentsFor(channel: Channel, text: string): Segment[] {
  const entities = twitterText.extractEntitiesWithIndices(text);
  const out: Segment[] = [];
  let at = 0;
  for (const e of entities) {
    const [start, end] = e.indices;
    if (start > at) out.push({ kind: 'text', text: text.slice(at, start) });
    const raw = text.slice(start, end);
    if ('url' in e) {
      const href = /^https?:\/\//i.test(e.url) ? e.url : `https://${e.url}`;
      const max = LINK_DISPLAY[channel];
      out.push({ kind: 'link', href, text: max ? shortLink(raw, max) : raw });
    } else if ('hashtag' in e || 'screenName' in e) {
      out.push({ kind: 'tag', text: raw });
    } else {
      out.push({ kind: 'text', text: raw });
    }
    at = end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

let segmenter: Intl.Segmenter | undefined;

/** The segments cut at a number of graphemes, and whether anything was cut (the "see more"). */
export function fold(segments: Segment[], limit: number | null): { segments: Segment[]; folded: boolean } {
  if (limit === null) return { segments, folded: false };
  segmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  const out: Segment[] = [];
  let left = limit;
  for (const s of segments) {
    const graphemes = [...segmenter.segment(s.text)].map((g) => g.segment);
    if (graphemes.length <= left) {
      out.push(s);
      left -= graphemes.length;
      continue;
    }
    if (left > 0) out.push({ ...s, text: graphemes.slice(0, left).join('') });
    return { segments: out, folded: true };
  }
  return { segments: out, folded: false };
}
