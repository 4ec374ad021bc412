import type { SystemDefinition } from '../../model/system.js';
import { assetFile } from '../assets.js';
import { VAULTMESH_FAULTS } from './faults.js';
import { Guardian } from './guardian.js';
import { VAULTMESH_KNOBS } from './knobs.js';
import { Mesh } from './mesh.js';
import { VAULTMESH_JOBS, VAULTMESH_METRICS } from './metrics.js';
import { Oracle } from './oracle.js';
import { Portal } from './portal.js';
import { Psi } from './psi.js';

/** The VaultMesh civilization ledger (seed 000): portal, guardian and oracle. */
export const vaultmesh: SystemDefinition = {
  name: 'vaultmesh',
  jobs: VAULTMESH_JOBS,
  metrics: VAULTMESH_METRICS,
  faults: VAULTMESH_FAULTS,
  knobs: VAULTMESH_KNOBS,
  ruleFiles: [assetFile('rules', 'vaultmesh-alerts.yaml')],
  dashboardFiles: [
    assetFile('dashboards', 'vaultmesh-overview.json'),
    assetFile('dashboards', 'vaultmesh-guardian.json'),
  ],
  createServices: (ctx) => [new Portal(ctx), new Psi(ctx), new Guardian(ctx), new Mesh(ctx), new Oracle(ctx)],
};
