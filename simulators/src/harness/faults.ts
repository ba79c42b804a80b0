import { type SimRandom } from './random.js';

/**
 * What an injected fault does to a matching request:
 * - `status`: answer with this status (the network's own error shape unless `body` is given);
 * - `rate-limit`: answer as the network does when a limit is exhausted (its 429 and headers);
 *   `resetMs` makes the answer say the limit comes back that soon (in the network's own headers,
 *   where it has them), so a test can burst 429s without waiting out a real 15-minute window;
 * - `reset`: destroy the connection before anything is done;
 * - `delay`: wait, then handle the request normally;
 * - `commit-then-timeout`: handle the request (the write commits) but never deliver the
 *   answer: the connection is held for `holdMs` and then destroyed.
 */
export type FaultAction =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'rate-limit'; resetMs?: number }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'commit-then-timeout'; holdMs?: number };

export interface FaultRuleInput {
  /** Restrict to one simulator (set automatically when added through that simulator's admin API). */
  network?: string;
  method?: string;
  /** A regular expression tested against the request path. */
  path?: string;
  /** Let this many matching requests through before the rule fires. */
  skip?: number;
  /** Fire this many times, then retire. Unlimited when absent. */
  times?: number;
  /** Fire on this fraction of matching requests (0..1), drawn from the seeded generator. */
  probability?: number;
  action: FaultAction;
}

export interface FaultRule extends FaultRuleInput {
  id: number;
  matched: number;
  fired: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: SimRandom) {}

  add(input: FaultRuleInput): FaultRule {
    validateRule(input);
    const rule: FaultRule = { ...input, id: this.nextId++, matched: 0, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  /** The first rule that fires for this request, if any (its counters move). */
  pick(network: string, method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.network !== undefined && rule.network !== network) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !new RegExp(rule.path).test(path)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      rule.matched += 1;
      if (rule.skip !== undefined && rule.matched <= rule.skip) continue;
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue;
      rule.fired += 1;
      return rule;
    }
    return undefined;
  }

  list(network?: string): FaultRule[] {
    return this.rules.filter((rule) => network === undefined || rule.network === undefined || rule.network === network);
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(network?: string): void {
    this.rules = network === undefined ? [] : this.rules.filter((rule) => rule.network !== network);
  }
}

export class FaultRuleError extends Error {}

function validateRule(input: FaultRuleInput): void {
  const action = input.action as Partial<FaultAction> | undefined;
  const kinds = ['status', 'rate-limit', 'reset', 'delay', 'commit-then-timeout'];
  if (!action || typeof action.kind !== 'string' || !kinds.includes(action.kind)) {
    throw new FaultRuleError(`action.kind must be one of ${kinds.join(', ')}`);
  }
  if (action.kind === 'status' && !(typeof action.status === 'number' && Number.isInteger(action.status) && action.status >= 400 && action.status <= 599)) {
    throw new FaultRuleError('action.status must be an HTTP error status (400-599)');
  }
  if (action.kind === 'rate-limit' && action.resetMs !== undefined && !(typeof action.resetMs === 'number' && action.resetMs >= 0)) throw new FaultRuleError('action.resetMs must be a number of milliseconds');
  if (action.kind === 'delay' && !(typeof action.ms === 'number' && action.ms >= 0)) throw new FaultRuleError('action.ms must be a number of milliseconds');
  if (input.probability !== undefined && !(input.probability >= 0 && input.probability <= 1)) throw new FaultRuleError('probability must be within 0..1');
  if (input.path !== undefined) {
    try {
      new RegExp(input.path);
    } catch {
      throw new FaultRuleError('path must be a valid regular expression');
    }
  }
}
