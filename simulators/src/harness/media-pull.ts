import { sha256Hex } from './ids.js';

/**
 * Networks that take media by URL (Facebook `url` / `file_url`, Instagram `image_url` /
 * `video_url`) fetch it themselves. The simulators fetch only loopback URLs (the Guddu server
 * beside them in tests and in the sandbox) and hash what arrives, so the ledger can prove which
 * bytes a post carries; any other URL is taken on trust, as the contract tests' example CDN
 * addresses are, and never fetched (a simulator must not become a way to reach other hosts).
 * Returns the SHA-256, undefined when not fetched, or null when the fetch failed.
 */
export async function pullMedia(url: string, timeoutMs = 15_000): Promise<string | null | undefined> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') return undefined;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!response.ok) return null;
    return sha256Hex(Buffer.from(await response.arrayBuffer()));
  } catch {
    return null;
  }
}
