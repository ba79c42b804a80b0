// A stack of clean-up steps (children to stop, temp dirs to remove, databases to drop) that
// runs once, in reverse order, whether the benchmark finishes, throws or is interrupted.
import { rmSync } from 'node:fs';

const steps = [];
/** Synchronous last-resort actions for when the process exits before the async steps ran. */
const lastResort = new Set();
let running;

export function onCleanup(label, fn, syncFallback) {
  const step = { label, fn, syncFallback };
  steps.push(step);
  if (syncFallback) lastResort.add(syncFallback);
  return step;
}

/** Removes a step that its owner already ran (e.g. a child that was stopped normally). */
export function forget(step) {
  const i = steps.indexOf(step);
  if (i !== -1) steps.splice(i, 1);
  if (step.syncFallback) lastResort.delete(step.syncFallback);
}

export function cleanup() {
  running ??= (async () => {
    while (steps.length) {
      const step = steps.pop();
      try {
        await step.fn();
      } catch (err) {
        process.stderr.write(`bench: clean-up "${step.label}" failed: ${err?.message ?? err}\n`);
      }
      if (step.syncFallback) lastResort.delete(step.syncFallback);
    }
  })();
  return running;
}

export function removeDirLater(dir) {
  const remove = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  return onCleanup(`remove ${dir}`, async () => remove(), remove);
}

let installed = false;
/** Ctrl-C / SIGTERM: clean up, then exit 130/143. A second signal skips to the sync fallbacks. */
export function installSignalHandlers() {
  if (installed) return;
  installed = true;
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) {
      process.stderr.write(`\nbench: ${signal} again: forcing exit\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}: stopping children and removing temp data...\n`);
    cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const fn of lastResort) {
      try {
        fn();
      } catch {
        // best effort
      }
    }
  });
}
