import { z } from 'zod';
import { sha256Hex } from '../../platform/crypto/tokens.js';
import { canonicalJson } from '../audit/audit.service.js';
import { canonicalLanguageTag } from './language-tags.js';

/** The networks a message can target; a channel variant overrides the message for one of them. */
export const CHANNELS = ['facebook', 'x', 'instagram', 'youtube', 'linkedin', 'mastodon', 'bluesky'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Bounds that keep one message (and its diff) cheap to store, hash and compare. */
export const LIMITS = { bodyChars: 70_000, languages: 40, tags: 50, mediaPerMessage: 20, targets: 100 } as const;

const body = z.string().max(LIMITS.bodyChars, `a body is at most ${LIMITS.bodyChars} characters`);

/** A language tag, validated as BCP 47 and put in its canonical case ("hi-in" → "hi-IN"). */
export const LanguageTag = z.string().max(35).transform((tag, ctx) => {
  const canonical = canonicalLanguageTag(tag);
  if (!canonical) {
    ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag` });
    return z.NEVER;
  }
  return canonical;
});

/** Bodies by language: keys validated and canonicalised, two spellings of one tag refused. */
const Bodies = z.record(z.string(), body).transform((bodies, ctx) => {
  const out: Record<string, string> = {};
  for (const [tag, text] of Object.entries(bodies)) {
    const canonical = canonicalLanguageTag(tag);
    if (!canonical) {
      ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag`, path: [tag] });
      continue;
    }
    if (canonical in out) ctx.addIssue({ code: 'custom', message: `language ${canonical} given twice`, path: [tag] });
    out[canonical] = text.normalize('NFC');
  }
  if (Object.keys(out).length > LIMITS.languages) ctx.addIssue({ code: 'custom', message: `at most ${LIMITS.languages} languages` });
  return out;
});

const link = z.url({ protocol: /^https?$/ }).max(2048).nullable();
const media = z.array(z.uuid()).max(LIMITS.mediaPerMessage);

const Variant = z.strictObject({
  bodies: Bodies.optional().describe('Text for this network, by language; languages not given use the main body'),
  link: link.optional(),
  media: media.optional(),
  options: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).optional().describe('Network-specific options (e.g. YouTube title, privacy)'),
});

/** What goes out: the part of a message an approval signs. Tags, notes and the schedule are not in it. */
export const MessageContentInput = z.strictObject({
  bodies: Bodies.refine((b) => Object.keys(b).length > 0, 'give a body in at least one language').describe('Body text by BCP 47 language tag'),
  link: link.default(null),
  media: media.default([]),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]).describe('Networks this message is for'),
  variants: z.partialRecord(z.enum(CHANNELS), Variant).default({}),
  targets: z.array(z.uuid()).max(LIMITS.targets).optional().describe('Connected channels (ids) this message goes to; their networks join `channels`'),
});
export type MessageContent = z.output<typeof MessageContentInput>;

/**
 * Channels de-duplicated and ordered, variants only for targeted channels, targets sorted, so
 * equal content hashes equally. No targets is no `targets` key: content from before targets
 * hashes as it always did.
 */
export function normaliseContent(c: MessageContent): MessageContent {
  const channels = CHANNELS.filter((ch) => c.channels.includes(ch));
  const variants: MessageContent['variants'] = {};
  for (const ch of channels) if (c.variants[ch]) variants[ch] = c.variants[ch];
  const targets = [...new Set((c.targets ?? []).map((t) => t.toLowerCase()))].sort();
  return { bodies: c.bodies, link: c.link, media: c.media, channels, variants, ...(targets.length > 0 ? { targets } : {}) };
}

/** SHA-256 of the canonical JSON (sorted keys, NFC text): what approvals are bound to. */
export function contentHash(c: MessageContent): string {
  return sha256Hex(canonicalJson(normaliseContent(c)));
}

/** Variant texts that differ from the main body: searched alongside it. */
export function textsOf(c: MessageContent): { language: string; channel: string; body: string }[] {
  const out = Object.entries(c.bodies).map(([language, text]) => ({ language, channel: '', body: text }));
  for (const [channel, v] of Object.entries(c.variants)) {
    for (const [language, text] of Object.entries(v?.bodies ?? {})) if (text !== c.bodies[language]) out.push({ language, channel, body: text });
  }
  return out;
}

export function languagesOf(c: MessageContent): string[] {
  return Object.keys(c.bodies).sort();
}
