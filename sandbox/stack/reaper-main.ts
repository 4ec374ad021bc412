/**
 * The reaper's process (see reaper.ts): every half second it checks that the process that started the
 * sandbox still runs; once it does not, it cleans up after it as `sandbox down` would, and exits.
 */
import { rm } from 'node:fs/promises';
import { removeLeftovers } from './leftovers.js';
import { identityMismatch } from './process-identity.js';
import { REAPER_ENV, type ReaperOrders } from './reaper.js';
import { processAlive, readState, removeState, sandboxAlive } from './state.js';

const POLL_MS = 500;

const orders = JSON.parse(process.env[REAPER_ENV] ?? '') as ReaperOrders;

const parentAlive = () =>
  orders.process ? identityMismatch(orders.process) === undefined : processAlive(orders.pid);

async function reap(): Promise<void> {
  const state = await readState(orders.stateDir);
  // The directory has another live sandbox now (one started after this one died): it is not ours to clean.
  if (state && sandboxAlive(state)) return;
  await removeLeftovers(orders.stateDir, state, () => undefined);
  await removeState(orders.stateDir);
  if (orders.removeStateDir) await rm(orders.stateDir, { recursive: true, force: true });
}

const timer = setInterval(() => {
  if (parentAlive()) return;
  clearInterval(timer);
  reap().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}, POLL_MS);
