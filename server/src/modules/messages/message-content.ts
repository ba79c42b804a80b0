import { z } from 'zod';
import { sha256Hex } from '../../platform/crypto/tokens.js';
import { canonicalJson } from '../audit/audit.service.js';
import { canonicalLanguageTag } from './language-tags.js';

/** The networks a message can target; a channel variant overrides the message for one of them. */
export const CHANNELS = ['facebook', 'x', 'instagram', 'youtube', 'linkedin', 'mastodon', 'bluesky'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Bounds that keep one message (and its diff) cheap to store, hash and compare. */
export const LIMITS = { bodyChars: 70_000, languages: 40, tags: 50, mediaPerMessage: 20 } as const;

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
/** A rendition's name as the media pipeline gives it (e.g. `portrait_4_5`, `link_1_91`, `720p`). */
const renditionName = z.string().regex(/^[a-z0-9_]{1,64}$/, 'a rendition name is lower-case letters, digits and _');

const Variant = z.strictObject({
  bodies: Bodies.optional().describe('Text for this network, by language; languages not given use the main body'),
  link: link.optional(),
  media: media.optional(),
  renditions: z
    .record(z.uuid(), renditionName)
    .optional()
    .describe('Which rendition (crop or size) of an attached asset this network gets, by asset id, e.g. Instagram the 4:5 portrait; assets not named get the network default'),
  options: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).optional().describe('Network-specific options (e.g. YouTube title, privacy)'),
});

/** What goes out: the part of a message an approval signs. Tags, notes and the schedule are not in it. */
export const MessageContentInput = z.strictObject({
  bodies: Bodies.refine((b) => Object.keys(b).length > 0, 'give a body in at least one language').describe('Body text by BCP 47 language tag'),
  link: link.default(null),
  media: media.default([]),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]).describe('Networks this message is for'),
  variants: z.partialRecord(z.enum(CHANNELS), Variant).default({}),
}).superRefine((c, ctx) => {
  // A rendition can only be picked for an asset the network's post carries.
  for (const [channel, v] of Object.entries(c.variants)) {
    const carried = new Set(v?.media ?? c.media);
    for (const assetId of Object.keys(v?.renditions ?? {})) {
      if (!carried.has(assetId)) ctx.addIssue({ code: 'custom', message: `asset ${assetId} is not in the ${channel} post's media`, path: ['variants', channel, 'renditions', assetId] });
    }
  }
});
export type MessageContent = z.output<typeof MessageContentInput>;
type Variant = NonNullable<MessageContent['variants'][Channel]>;

/**
 * Channels de-duplicated and ordered, variants only for targeted channels, so equal content hashes
 * equally. An empty rendition choice is dropped: content written before variants could pick
 * renditions must keep its hash (approvals are bound to it), and `{}` means the same as absent.
 */
export function normaliseContent(c: MessageContent): MessageContent {
  const channels = CHANNELS.filter((ch) => c.channels.includes(ch));
  const variants: MessageContent['variants'] = {};
  for (const ch of channels) {
    const v = c.variants[ch];
    if (v) variants[ch] = withoutEmptyRenditions(v);
  }
  return { bodies: c.bodies, link: c.link, media: c.media, channels, variants };
}

function withoutEmptyRenditions(v: Variant): Variant {
  if (!v.renditions || Object.keys(v.renditions).length > 0) return v;
  const { renditions: _empty, ...rest } = v;
  return rest;
}

/** Every asset the message attaches: its own media and each network's replacement media. */
export function mediaOf(c: MessageContent): string[] {
  return [...new Set([...c.media, ...Object.values(c.variants).flatMap((v) => v?.media ?? [])])];
}

/** The renditions the networks' variants pick, one row per network and asset. */
export function renditionPicks(c: MessageContent): { channel: Channel; assetId: string; rendition: string }[] {
  return CHANNELS.flatMap((channel) => Object.entries(c.variants[channel]?.renditions ?? {}).map(([assetId, rendition]) => ({ channel, assetId, rendition })));
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
