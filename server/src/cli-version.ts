import { readFileSync } from 'node:fs';

/** The server package's version, for the OpenAPI document and logs. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
