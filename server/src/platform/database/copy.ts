import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { unitOfWorkQuery } from './database.js';

const CHUNK_BYTES = 256 * 1024;

/**
 * Streams rows to `COPY … FROM STDIN` (text format) on the unit of work's connection, inside its
 * transaction and under its role. Each line is one row, tab-separated, `\N` for NULL; the caller
 * escapes what it writes. Batching lines into large chunks matters: one write per row costs more
 * than the COPY itself.
 */
export async function copyRows(statement: string, lines: Iterable<string>): Promise<void> {
  const query = unitOfWorkQuery() as unknown as (stream: ReturnType<typeof copyFrom>) => ReturnType<typeof copyFrom>;
  const sink = query(copyFrom(statement));
  await pipeline(Readable.from(chunked(lines)), sink);
}

/**
 * Like copyRows, for callers that build their own chunks of whole lines (each ending in \n):
 * the bulk paths format rows straight into large strings, skipping a string per row.
 */
export async function copyChunks(statement: string, chunks: Iterable<string>): Promise<void> {
  const query = unitOfWorkQuery() as unknown as (stream: ReturnType<typeof copyFrom>) => ReturnType<typeof copyFrom>;
  const sink = query(copyFrom(statement));
  await pipeline(Readable.from(chunks), sink);
}

/** Target size of a chunk that copyChunks callers build. */
export const COPY_CHUNK_BYTES = CHUNK_BYTES;

function* chunked(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** A text value for COPY's text format: backslash, tab and newlines escaped; null as \N. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
