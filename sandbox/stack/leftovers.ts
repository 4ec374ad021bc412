import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { docker, engineAvailable, MANAGED_LABEL } from './docker/engine.js';
import { identityMismatch, readProcessIdentity, type ProcessIdentity } from './process-identity.js';
import { markedRunDirs, runDirMismatch } from './run-dir.js';
import { processAlive, type SandboxState } from './state.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(identities: readonly ProcessIdentity[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (identities.some((p) => identityMismatch(p) === undefined)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone in the meantime.
  }
}

/** Processes whose TMPDIR is the run's own: the sandbox gives it to every process it starts, and no one else. */
function processesOf(runDir: string): ProcessIdentity[] {
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!environ.split('\0').includes(`TMPDIR=${runDir}/tmp`)) continue;
    const identity = readProcessIdentity(pid);
    if (identity) found.push(identity);
  }
  return found;
}

/** Stops the sandbox process the state names, if it is still that process. */
async function stopSandbox(state: SandboxState, say: (line: string) => void): Promise<boolean> {
  if (!state.process) {
    if (processAlive(state.pid))
      say(`left pid ${state.pid} alone: the state file records no start time to prove it is the sandbox`);
    return false;
  }
  const mismatch = identityMismatch(state.process);
  if (mismatch) {
    if (processAlive(state.pid)) say(`left pid ${state.pid} alone: ${mismatch}`);
    return false;
  }
  signal(state.pid, 'SIGTERM');
  if (!(await waitGone([state.process], 20_000))) signal(state.pid, 'SIGKILL');
  say(`stopped the sandbox (pid ${state.pid})`);
  return true;
}

/** Kills the process groups of the services the state records, each only if it is still that process. */
function killServices(state: SandboxState, say: (line: string) => void): ProcessIdentity[] {
  const killed: ProcessIdentity[] = [];
  for (const s of state.services) {
    if (s.pid === undefined) continue;
    const mismatch = s.process ? identityMismatch(s.process) : 'no start time recorded';
    if (s.process && mismatch === undefined) {
      signal(-s.pid, 'SIGKILL');
      say(`killed leftover ${s.service} (process group ${s.pid})`);
      killed.push(s.process);
    } else if (processAlive(s.pid)) say(`left pid ${s.pid} (${s.service}) alone: ${mismatch}`);
  }
  return killed;
}

/** Whether the removal removed it: false when it was gone already or going (a reaper got there first). */
const removal = (removing: Promise<unknown>): Promise<boolean> =>
  removing.then(
    () => true,
    (error: unknown) =>
      [404, 409].includes((error as { statusCode?: number }).statusCode ?? 0) ? false : Promise.reject(error),
  );

async function removeContainers(runIds: readonly string[], say: (line: string) => void): Promise<number> {
  if (runIds.length === 0 || !(await engineAvailable())) return 0;
  let removed = 0;
  for (const run of runIds) {
    const label = [`${MANAGED_LABEL}=true`, `org.obs-sandbox.run=${run}`];
    for (const c of await docker().listContainers({ all: true, filters: { label } })) {
      if (!(await removal(docker().getContainer(c.Id).remove({ force: true })))) continue;
      say(`removed container ${c.Names[0] ?? c.Id}`);
      removed++;
    }
    for (const n of await docker().listNetworks({ filters: { label } })) {
      if (!(await removal(docker().getNetwork(n.Id).remove()))) continue;
      say(`removed network ${n.Name}`);
      removed++;
    }
  }
  return removed;
}

/**
 * What `sandbox down` does: stops the sandbox and kills its services, each only while its pid still has the
 * recorded start time and command line; then, for every run directory it can prove its own (the marker, and
 * for the state's run the same id, device and inode), kills what still uses it, removes its containers and
 * networks (by their run label) and the directory. Returns how many things it stopped or removed.
 */
export async function removeLeftovers(
  stateDir: string,
  state: SandboxState | undefined,
  say: (line: string) => void,
): Promise<number> {
  let acted = 0;
  if (state) {
    if (await stopSandbox(state, say)) acted++;
    const killed = killServices(state, say);
    acted += killed.length;
    await waitGone(killed, 10_000);
  }
  // After the sandbox stopped: it removes its own run directory when it can.
  const runs = markedRunDirs(stateDir).map((d) => d.path);
  if (state && existsSync(state.dataDir) && !runs.includes(state.dataDir)) {
    const mismatch = state.run ? runDirMismatch(state.run) : 'the state file records no marker for it';
    say(`left ${state.dataDir} alone: ${mismatch ?? 'it is not in the state directory'}`);
  }
  for (const path of runs) {
    const users = processesOf(path);
    for (const p of users) signal(p.pid, 'SIGKILL');
    if (users.length) say(`killed ${users.length} leftover process(es) using ${path}`);
    acted += users.length;
    await waitGone(users, 10_000);
  }
  acted += await removeContainers(
    runs.map((p) => basename(p)),
    say,
  );
  for (const path of runs) {
    await rm(path, { recursive: true, force: true });
    say(`removed ${path}`);
    acted++;
  }
  return acted;
}
