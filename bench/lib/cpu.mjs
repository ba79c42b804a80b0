// CPU time of process trees, from /proc (Linux only; elsewhere the figures are omitted).
// Used to show where the machine's cores went during a measured run: the server's Node
// process, its PostgreSQL processes, and autocannon (this process).
import { readdirSync, readFileSync } from 'node:fs';

const USER_HZ = 100; // /proc reports in USER_HZ ticks, 100 on every Linux we run on

function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17 (cutime and
    // cstime hold reaped children, e.g. PostgreSQL backends that ended during the run)
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { ppid, seconds: ticks / USER_HZ };
  } catch {
    return undefined;
  }
}

export const cpuSupported = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/**
 * CPU seconds so far of the process `root` and, separately, of all its descendants (PostgreSQL
 * puts its backends in their own sessions, so process groups would miss them).
 */
export function treeCpu(root) {
  const out = { leader: 0, others: 0 };
  if (!cpuSupported) return out;
  const procs = new Map();
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(name);
    if (!s) continue;
    const pid = Number(name);
    procs.set(pid, s);
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid).push(pid);
  }
  out.leader = procs.get(root)?.seconds ?? 0;
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.pop();
    out.others += procs.get(pid).seconds;
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The whole machine's busy CPU seconds so far (all processes, all cores), and time stolen by the hypervisor. */
export function machineCpu() {
  if (!cpuSupported) return { busy: 0, steal: 0 };
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal = 0] = ticks.map(Number);
  // irq/softirq time (loopback networking) is left out: it is not charged to any process, so it
  // would show up as "other" although the bench caused it.
  void irq;
  void softirq;
  return { busy: (user + nice + system) / USER_HZ, steal: steal / USER_HZ };
}

/** A probe for `measure`: snapshots of named CPU counters, in seconds. */
export function cpuProbe(roots) {
  return () => {
    const snap = {};
    for (const [name, leader] of Object.entries(roots)) {
      const g = treeCpu(leader);
      snap[`${name}`] = g.leader;
      snap[`${name}:children`] = g.others;
    }
    const self = process.cpuUsage();
    snap.autocannon = (self.user + self.system) / 1e6;
    // Kernel threads (children of kthreadd, pid 2): ksoftirqd carries much of the loopback
    // networking at high request rates, so it belongs to the bench rather than to "other".
    snap.kernel = treeCpu(2).others;
    const m = machineCpu();
    snap.machine = m.busy;
    snap.steal = m.steal;
    return snap;
  };
}
