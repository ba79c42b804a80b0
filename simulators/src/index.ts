export { SimHarness } from './harness/harness.js';
export { SimServer, type SimServerOptions } from './harness/sim-server.js';
export { SimClock } from './harness/clock.js';
export { type FaultAction, type FaultRuleInput } from './harness/faults.js';
export { type LogEntry, type LogQuery } from './harness/request-log.js';
export { type LedgerPost, type DuplicateGroup } from './harness/ledger.js';
export { NETWORKS, SERVICES, type NetworkName, type ServiceName, type SimulatorName, type NetworkDefinition, type NetworkFactory, type SeededAccount } from './harness/network.js';
export { startSimulators, type StartSimulatorsOptions, type RunningSimulators } from './start.js';
export { SMS_SANDBOX, segmentsOf } from './networks/sms.js';
