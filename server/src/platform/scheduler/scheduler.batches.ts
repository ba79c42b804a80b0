/** Up to this many rows per statement: one round trip and one short transaction each. */
const MAX_BATCH = 500;

/**
 * Gathers the calls made in the same turn of the event loop into statements of up to MAX_BATCH
 * rows. When thousands of scheduled entries fall due at one instant, their fires are released
 * together; claiming and recording them one transaction each would make the database pool the
 * queue that decides how late the last one starts.
 */
export class Batches<I, R> {
  private pending: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];

  /** `run` gets a batch and answers one result per item, in order. */
  constructor(private readonly run: (items: I[]) => Promise<R[]>) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.pending.push({ item, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) {
      const batch = all.slice(i, i + MAX_BATCH);
      this.run(batch.map((b) => b.item)).then(
        (results) => batch.forEach((b, j) => b.resolve(results[j] as R)),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      );
    }
  }
}
