import { SimHarness } from './harness/harness.js';
import { NETWORKS, SERVICES, type NetworkFactory, type NetworkName, type ServiceName, type SimulatorName } from './harness/network.js';
import { SimServer } from './harness/sim-server.js';
import { bluesky } from './networks/bluesky.js';
import { facebook } from './networks/facebook.js';
import { instagram } from './networks/instagram.js';
import { linkedin } from './networks/linkedin.js';
import { mastodon } from './networks/mastodon.js';
import { sms } from './networks/sms.js';
import { x } from './networks/x.js';
import { youtube } from './networks/youtube.js';

const FACTORIES: Record<SimulatorName, NetworkFactory> = { facebook, instagram, x, linkedin, youtube, mastodon, bluesky, sms };

export interface StartSimulatorsOptions {
  /** Which networks to start; all seven by default. */
  networks?: readonly NetworkName[];
  /** Which services (the SMS provider); all by default. */
  services?: readonly ServiceName[];
  /** Loopback by default: the simulators are never meant to face a network. */
  host?: string;
  /** Fixed ports per network; 0 (the default) lets the system choose. */
  ports?: Partial<Record<SimulatorName, number>>;
  /** Seed for probabilistic faults, so a chaos run can be replayed. */
  seed?: number;
}

export interface RunningSimulators {
  /** Base URL of each started network, e.g. `{ x: 'http://127.0.0.1:40123' }`. */
  urls: Partial<Record<SimulatorName, string>>;
  servers: Partial<Record<SimulatorName, SimServer>>;
  /** The shared clock, fault plan, request log and post ledger. */
  harness: SimHarness;
  close(): Promise<void>;
}

/** Starts one HTTP server per network and service, sharing one harness. */
export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<RunningSimulators> {
  const harness = new SimHarness({ seed: options.seed });
  const servers: Partial<Record<SimulatorName, SimServer>> = {};
  const urls: Partial<Record<SimulatorName, string>> = {};
  const close = async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  };
  try {
    for (const name of [...(options.networks ?? NETWORKS), ...(options.services ?? SERVICES)]) {
      const server = new SimServer(harness, FACTORIES[name]);
      servers[name] = server;
      urls[name] = await server.listen({ host: options.host, port: options.ports?.[name] ?? 0 });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { urls, servers, harness, close };
}
