export interface LogEntry {
  seq: number;
  /** Simulated time (epoch ms) when the request arrived. */
  at: number;
  network: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The bearer token (or other credential) used, so tests can assert which token was sent. */
  token?: string;
  headers: Record<string, string>;
  /** Parsed JSON or form body; binary bodies are summarised by their size. */
  body: unknown;
  status?: number;
  /** The fault injected, if any (`reset`, `commit-then-timeout`, `status:503`...). */
  fault?: string;
  durationMs?: number;
}

export interface LogQuery {
  network?: string;
  method?: string;
  /** Regular expression tested against the path. */
  path?: string;
  status?: number;
  since?: number;
}

/** Every request every simulator saw, newest last; bounded so a long chaos run cannot exhaust memory. */
export class RequestLog {
  private entries: LogEntry[] = [];

  constructor(private readonly capacity = 100_000) {}

  append(entry: LogEntry): LogEntry {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  query(filter: LogQuery = {}): LogEntry[] {
    const pathPattern = filter.path === undefined ? undefined : new RegExp(filter.path);
    return this.entries.filter(
      (entry) =>
        (filter.network === undefined || entry.network === filter.network) &&
        (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
        (pathPattern === undefined || pathPattern.test(entry.path)) &&
        (filter.status === undefined || entry.status === filter.status) &&
        (filter.since === undefined || entry.seq > filter.since),
    );
  }

  clear(network?: string): void {
    this.entries = network === undefined ? [] : this.entries.filter((entry) => entry.network !== network);
  }
}
