import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../generators/user-error.js';
import { exitOnSignals, removeOnExit, unwindOnSignals } from '../cleanup.js';
import { chooseRuntime } from '../stack/choose-runtime.js';
import type { NativePorts } from '../stack/native/native-stack.js';
import { startReaper } from '../stack/reaper.js';
import { startWarnings } from '../rules/start-warnings.js';
import { Sandbox, type StartOptions } from '../stack/sandbox-stack.js';
import { stackModules, type StackService } from '../stack/services/registry.js';
import { startOptionsOf, type StartSandboxOptions } from './sandbox-options.js';
import { freePort } from './free-port.js';
import { PortInUseError } from '../stack/native/native-stack.js';
import { TestSandbox } from './test-sandbox.js';

/** Free ports for every service, so that a test's sandbox never meets one the user runs. */
async function portsFor(runtime: 'native' | 'docker', traces?: string): Promise<Partial<StartOptions>> {
  const modules = stackModules(traces);
  if (runtime === 'docker') {
    const hostPorts: Partial<Record<StackService, number>> = {};
    for (const module of modules) hostPorts[module.name] = await freePort();
    return { hostPorts };
  }
  const ports: NativePorts = {};
  for (const module of modules) {
    const own: Record<string, number> = {};
    for (const name of Object.keys(module.ports)) own[name] = await freePort();
    ports[module.name] = own;
  }
  return { ports };
}

/** Tries with fresh ports that were free: another program's connection may take one before its service binds it. */
async function startOnFreePorts(start: () => Promise<Sandbox>, attempts = 3): Promise<Sandbox> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      // The start undid itself; what it made is gone.
      if (!(error instanceof PortInUseError) || attempt >= attempts) throw error;
    }
  }
}

/**
 * Starts a sandbox for a test: real Prometheus and Alertmanager (Docker or native binaries), the simulated
 * systems feeding them, every port free and chosen for it, its state in a directory of its own (so that a
 * process may run several). Stop it with `stop()`, or `await using` it; a signal or an exit of the test
 * process removes it too, and a reaper process does when the test process is killed outright. Resolves once
 * Prometheus has loaded the alert rules (after its first scrape of every generator target).
 *
 *   await using sandbox = await startSandbox({ rules: ['./rules'] });
 *   sandbox.fault('emergency');
 *   await sandbox.waitForAlert('EmergencyActive', { state: 'firing' });
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<TestSandbox> {
  const { forScale, ...start } = await startOptionsOf(options);
  // As `sandbox start` does: rules that look back further than the history, said before anything starts.
  const bundled = start.bundledRules === false ? [] : (start.systems?.ruleFiles ?? []);
  const warnings = await startWarnings(start.rules ?? [], bundled, start.historyMs ?? 0, 'history');
  // From the state directory on, a signal exits and the exit hooks remove what was made (without a listener
  // it killed the process outright and left the directory), until the sandbox undoes its own start on one.
  const removeEarlyExit = exitOnSignals();
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'obs-sandbox-test-')));
  const untrackStateDir = options.stateDir ? () => undefined : removeOnExit(stateDir);
  const messages: string[] = [];
  const onMessage = (message: string) => {
    messages.push(message);
    options.onMessage?.(message);
  };
  for (const text of warnings) onMessage(text);
  const stopReaper = startReaper(stateDir, { removeStateDir: !options.stateDir, onMessage });
  const release = async () => {
    stopReaper();
    if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
    untrackStateDir();
  };
  let sandbox: Sandbox;
  try {
    const runtime = await chooseRuntime(options.runtime ?? 'auto', onMessage);
    sandbox = await startOnFreePorts(async () =>
      Sandbox.start({
        ...start,
        ...(await portsFor(runtime, options.traces)),
        runtime,
        generatorPort: 0,
        stateDir,
        onMessage,
      }),
    );
  } catch (error) {
    await release().finally(removeEarlyExit);
    throw error;
  }
  let stopOnSignal = () => undefined as unknown;
  const handle = new TestSandbox(sandbox, messages, async () => {
    try {
      await sandbox.stop();
    } finally {
      // The handler goes last: a signal during the removal waits for this stop instead of killing the process.
      await release().finally(stopOnSignal);
    }
  });
  // The stop handler before the early one goes: a signal caught meanwhile is still pending, and Node drops
  // it when a signal's last listener goes (a SIGTERM right at ready was lost and the sandbox ran on).
  stopOnSignal = unwindOnSignals(() => handle.stop());
  removeEarlyExit();
  try {
    const missing = (['prometheus', 'alertmanager'] as const).filter((s) => !sandbox.stack.running(s));
    if (missing.length > 0) {
      const why = missing.map((s) => {
        const status = sandbox.stack.statuses.get(s);
        return `${s}: ${status?.reason ?? 'not started'}${status?.fix ? ` (${status.fix})` : ''}`;
      });
      throw new UserError(`startSandbox: a test sandbox needs ${missing.join(' and ')}; ${why.join('; ')}`);
    }
    // Nothing may see "no alert" from a Prometheus that has no rules yet.
    await sandbox.rulesLoaded;
    if (forScale !== 1) await sandbox.control.setForScale(forScale);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}
