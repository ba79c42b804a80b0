/**
 * A failed embedded PostgreSQL start, saying what failed and what to do about it: the operator
 * reads this on the terminal, so it never reads "null" and always ends with a way forward.
 */
export class EmbeddedPostgresError extends Error {
  constructor(
    what: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(`embedded PostgreSQL: ${what}\n  What to do: ${hint}`, { cause });
    this.name = 'EmbeddedPostgresError';
  }
}

/** What a child process said when it failed: its error, else its stderr, else its exit. */
export function failureOf(r: { error?: Error; status: number | null; signal: NodeJS.Signals | null; stderr?: string | null; stdout?: string | null }): string {
  if (r.error) return r.error.message;
  const said = (r.stderr || r.stdout || '').trim();
  const exit = r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
  return said ? `${said} (${exit})` : exit;
}
