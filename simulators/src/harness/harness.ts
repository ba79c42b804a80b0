import { SimClock } from './clock.js';
import { FaultInjector } from './faults.js';
import { CallGauge } from './call-gauge.js';
import { PostLedger } from './ledger.js';
import { SimRandom } from './random.js';
import { RequestLog } from './request-log.js';

/** What all simulators of one run share: one clock, one fault plan, one log, one ledger of posts. */
export class SimHarness {
  readonly clock = new SimClock();
  readonly random: SimRandom;
  readonly faults: FaultInjector;
  readonly log = new RequestLog();
  readonly ledger = new PostLedger();
  /** Calls in flight and their peak, per network (the publish bench's concurrency figure). */
  readonly calls = new CallGauge();
  private seq = 0;

  constructor(options: { seed?: number } = {}) {
    this.random = new SimRandom(options.seed);
    this.faults = new FaultInjector(this.random);
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}
