import { SimHarness } from '../harness/harness.js';
import { type NetworkFactory } from '../harness/network.js';
import { SimServer } from '../harness/sim-server.js';

/** Starts one network's simulator for a spec, with helpers for its admin API. */
export async function startNetwork(factory: NetworkFactory) {
  const harness = new SimHarness({ seed: 42 });
  harness.clock.freeze();
  const sim = new SimServer(harness, factory);
  const base = await sim.listen();
  const admin = async <T = Record<string, unknown>>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const response = await fetch(`${base}/__sim${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? {} : await response.json()) as T;
  };
  return { harness, sim, base, admin, close: () => sim.close() };
}

export type StartedNetwork = Awaited<ReturnType<typeof startNetwork>>;

/** Follows nothing: returns the Location of an authorize redirect. */
export async function authorizeRedirect(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  return new URL(location);
}

export function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

export function jsonBody(value: unknown, headers: Record<string, string> = {}): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}
