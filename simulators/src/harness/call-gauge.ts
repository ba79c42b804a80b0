/**
 * Network calls in flight, per network and across all of them, with the peak since the last
 * reset: the publish bench reads it to show that a burst of due deliveries never starts more
 * calls at once than Guddu's configured limits. Admin calls (`/__sim`) are not counted.
 */
export interface CallCount {
  inFlight: number;
  peak: number;
}

export class CallGauge {
  private readonly byNetwork = new Map<string, CallCount>();
  private readonly all: CallCount = { inFlight: 0, peak: 0 };

  enter(network: string): void {
    const n = this.byNetwork.get(network) ?? { inFlight: 0, peak: 0 };
    this.byNetwork.set(network, n);
    for (const c of [n, this.all]) {
      c.inFlight += 1;
      c.peak = Math.max(c.peak, c.inFlight);
    }
  }

  leave(network: string): void {
    const n = this.byNetwork.get(network);
    if (n) n.inFlight = Math.max(0, n.inFlight - 1);
    this.all.inFlight = Math.max(0, this.all.inFlight - 1);
  }

  snapshot(): { all: CallCount; networks: Record<string, CallCount> } {
    return { all: { ...this.all }, networks: Object.fromEntries([...this.byNetwork].map(([k, v]) => [k, { ...v }])) };
  }

  /** Peaks start again from what is in flight now. */
  resetPeaks(): void {
    for (const c of [...this.byNetwork.values(), this.all]) c.peak = c.inFlight;
  }
}
