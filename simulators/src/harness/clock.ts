/**
 * The simulators' notion of "now". It runs with real time by default (so a sandbox behaves like
 * a network), but tests can freeze it and jump it forward to reach token expiry, rolling 24 h
 * windows, quota resets and media processing without waiting.
 */
export class SimClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): number {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
    return this.now();
  }

  set(epochMs: number): number {
    if (this.frozenAt !== null) this.frozenAt = epochMs;
    else this.offsetMs = epochMs - Date.now();
    return this.now();
  }

  freeze(): number {
    this.frozenAt ??= this.now();
    return this.frozenAt;
  }

  resume(): number {
    if (this.frozenAt !== null) {
      this.offsetMs = this.frozenAt - Date.now();
      this.frozenAt = null;
    }
    return this.now();
  }

  isFrozen(): boolean {
    return this.frozenAt !== null;
  }
}
