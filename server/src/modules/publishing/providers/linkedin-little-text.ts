/**
 * LinkedIn's commentary is "little text": `@[Name](urn)` mentions, `{hashtag|#|tag}` and
 * backslash escapes. Unescaped reserved characters truncate or garble the post, so plain text is
 * escaped on the way out (hashtags, `#word`, are left as hashtags) and unescaped to compare.
 */
const RESERVED = /[|{}@[\]()<>\\*_~]|#(?!\p{L}|\p{N})/gu;

export function toLittleText(text: string): string {
  return text.replace(RESERVED, (c) => `\\${c}`);
}

export function fromLittleText(commentary: string): string {
  return commentary.replace(/\\(.)/gu, '$1');
}
